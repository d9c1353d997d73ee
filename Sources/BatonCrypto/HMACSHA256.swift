import COpenSSL

/// HMAC-SHA256 under one key (RFC 2104), built to be called millions of times and shared by all threads.
///
/// The key is absorbed once into a template context; each call duplicates that context instead of
/// fetching HMAC and re-keying it, and the template is never written after `init`, so concurrent calls
/// need no lock.
///
/// ```swift
/// let mac = try HMACSHA256(key: refreshKey)
/// let tag = try mac.authenticationCode(for: message)
/// guard try mac.isValidAuthenticationCode(presentedTag, for: message) else { ... }
/// ```
public final class HMACSHA256: @unchecked Sendable {
    /// The length of an authentication code in bytes.
    public static let byteCount = 32

    /// An `EVP_MAC_CTX` keyed in `init`; only ever read (duplicated) afterwards.
    private let template: OpaquePointer

    /// Creates a MAC under `key`, which must not be empty.
    public init(key: some Collection<UInt8>) throws {
        guard !key.isEmpty else { throw CryptoError(.invalidKey, "an HMAC key must not be empty") }
        let context = try OpenSSL.check(EVP_MAC_CTX_new(OpenSSL.hmac), "EVP_MAC_CTX_new")
        var parameters = OSSLParameters()
        parameters.add(OSSL_MAC_PARAM_DIGEST, utf8String: "SHA256")
        do {
            try key.withContiguousBytes { key in
                try parameters.withUnsafeParameters { parameters in
                    try OpenSSL.check(
                        EVP_MAC_init(context, key.baseAddress?.assumingMemoryBound(to: UInt8.self), key.count, parameters),
                        "EVP_MAC_init(HMAC-SHA256)")
                }
            }
        } catch {
            EVP_MAC_CTX_free(context)
            throw error
        }
        template = context
    }

    deinit {
        EVP_MAC_CTX_free(template)
    }

    /// The 32-byte authentication code of `message`.
    public func authenticationCode(for message: some Collection<UInt8>) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: Self.byteCount) { output, initialized in
            initialized = try authenticate(message, into: output)
        }
    }

    /// Whether `code` is the authentication code of `message`, compared in constant time.
    public func isValidAuthenticationCode(_ code: some Collection<UInt8>, for message: some Collection<UInt8>) throws -> Bool {
        var expected: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return try withUnsafeMutableBytes(of: &expected) { expected in
            let buffer = expected.bindMemory(to: UInt8.self)
            _ = try authenticate(message, into: buffer)
            return ConstantTime.equals(UnsafeBufferPointer(buffer), code)
        }
    }

    private func authenticate(_ message: some Collection<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        let context = try OpenSSL.check(EVP_MAC_CTX_dup(template), "EVP_MAC_CTX_dup")
        defer { EVP_MAC_CTX_free(context) }
        try message.withContiguousBytes { message in
            try OpenSSL.check(
                EVP_MAC_update(context, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count),
                "EVP_MAC_update")
        }
        var length = 0
        try OpenSSL.check(EVP_MAC_final(context, output.baseAddress, &length, output.count), "EVP_MAC_final")
        return length
    }
}
