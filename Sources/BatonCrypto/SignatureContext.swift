import COpenSSL

/// A digest-sign or digest-verify context initialised once for one key; every operation works on a copy.
///
/// `EVP_DigestSignInit_ex` looks up the signature implementation and prepares the key on each call;
/// copying a prepared context skips both. The template is only read after `init`, so any number of
/// threads can copy it at once without a lock.
final class SignatureContext: @unchecked Sendable {
    /// The prepared `EVP_MD_CTX`; never used directly, only copied.
    private let template: OpaquePointer
    /// The key the template refers to, kept alive as long as the template.
    private let key: EVPKey

    /// Prepares signing (`signing == true`) or verifying with `key`.
    init(key: EVPKey, signing: Bool) throws {
        let context = try OpenSSL.check(EVP_MD_CTX_new(), "EVP_MD_CTX_new")
        let digest = key.algorithm.digestName
        let initialized =
            signing
            ? EVP_DigestSignInit_ex(context, nil, digest, nil, nil, key.pointer, nil)
            : EVP_DigestVerifyInit_ex(context, nil, digest, nil, nil, key.pointer, nil)
        guard initialized == 1 else {
            EVP_MD_CTX_free(context)
            throw OpenSSL.error(signing ? "EVP_DigestSignInit_ex" : "EVP_DigestVerifyInit_ex", code: .invalidKey)
        }
        self.template = context
        self.key = key
    }

    deinit {
        EVP_MD_CTX_free(template)
    }

    /// Signs `message` (OpenSSL's encoding: DER `ECDSA-Sig-Value` for ECDSA).
    func sign(_ message: UnsafeRawBufferPointer) throws -> [UInt8] {
        let context = try copy()
        defer { EVP_MD_CTX_free(context) }
        return try [UInt8](unsafeUninitializedCapacity: key.maximumSignatureByteCount) { signature, initialized in
            var length = signature.count
            try OpenSSL.check(
                EVP_DigestSign(context, signature.baseAddress, &length, Self.bytes(message), message.count),
                "EVP_DigestSign")
            initialized = length
        }
    }

    /// Whether `signature` (OpenSSL's encoding) is valid for `message`.
    func verify(_ signature: UnsafeRawBufferPointer, _ message: UnsafeRawBufferPointer) -> Bool {
        guard let context = try? copy() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let verified = EVP_DigestVerify(
            context, Self.bytes(signature), signature.count, Self.bytes(message), message.count)
        if verified != 1 { OpenSSL.clearErrors() }
        return verified == 1
    }

    private func copy() throws -> OpaquePointer {
        let context = try OpenSSL.check(EVP_MD_CTX_new(), "EVP_MD_CTX_new")
        guard EVP_MD_CTX_copy_ex(context, template) == 1 else {
            EVP_MD_CTX_free(context)
            throw OpenSSL.error("EVP_MD_CTX_copy_ex")
        }
        return context
    }

    /// A non-null pointer to `buffer`'s bytes, as OpenSSL wants even for empty input.
    private static func bytes(_ buffer: UnsafeRawBufferPointer) -> UnsafePointer<UInt8> {
        guard let base = buffer.baseAddress else { return emptyBytes }
        return base.assumingMemoryBound(to: UInt8.self)
    }

    /// One byte OpenSSL is pointed at for empty input and never reads; allocated once, never freed.
    nonisolated(unsafe) private static let emptyBytes = UnsafePointer(UnsafeMutablePointer<UInt8>.allocate(capacity: 1))
}
