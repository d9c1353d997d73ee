import COpenSSL

/// AES-256-GCM authenticated encryption with a fresh random 96-bit nonce per message.
///
/// A sealed box is `nonce (12) || ciphertext || tag (16)`. Opening checks the tag (and the associated
/// data) before returning anything, and throws `CryptoError.authenticationFailed` on any change.
///
/// ```swift
/// let sealer = try AESGCM(key: keyEncryptionKey)
/// let box = try sealer.seal(pkcs8, authenticating: Array(kid.utf8))
/// let pkcs8Again = try sealer.open(box, authenticating: Array(kid.utf8))
/// ```
public struct AESGCM: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The key length in bytes.
    public static let keyByteCount = 32
    /// The nonce length in bytes.
    public static let nonceByteCount = 12
    /// The tag length in bytes.
    public static let tagByteCount = 16

    private let key: [UInt8]

    /// Creates a sealer under a 32-byte key.
    public init(key: [UInt8]) throws {
        guard key.count == Self.keyByteCount else {
            throw CryptoError(.invalidKey, "an AES-256-GCM key has \(Self.keyByteCount) bytes, not \(key.count)")
        }
        self.key = key
    }

    /// Encrypts `plaintext` under a random nonce, authenticating `associatedData` too.
    public func seal(_ plaintext: [UInt8], authenticating associatedData: [UInt8] = []) throws -> [UInt8] {
        try seal(plaintext, nonce: Random.bytes(count: Self.nonceByteCount), authenticating: associatedData)
    }

    /// Encrypts under a given nonce; only known-answer tests may choose one (a repeated nonce breaks GCM).
    func seal(_ plaintext: [UInt8], nonce: [UInt8], authenticating associatedData: [UInt8]) throws -> [UInt8] {
        let context = try makeContext(encrypting: true, nonce: nonce)
        defer { EVP_CIPHER_CTX_free(context) }
        var output = nonce + [UInt8](repeating: 0, count: plaintext.count + Self.tagByteCount)
        try output.withUnsafeMutableBufferPointer { output in
            var length: Int32 = 0
            try update(context, associatedData, into: nil)
            let ciphertext = output.baseAddress! + Self.nonceByteCount
            length = try update(context, plaintext, into: ciphertext)
            try OpenSSL.check(EVP_EncryptFinal_ex(context, ciphertext + Int(length), &length), "EVP_EncryptFinal_ex")
            try OpenSSL.check(
                EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(Self.tagByteCount), ciphertext + plaintext.count),
                "EVP_CTRL_GCM_GET_TAG")
        }
        return output
    }

    /// Decrypts a sealed box, or throws `CryptoError.authenticationFailed` if it or `associatedData` changed.
    public func open(_ sealed: [UInt8], authenticating associatedData: [UInt8] = []) throws -> [UInt8] {
        guard sealed.count >= Self.nonceByteCount + Self.tagByteCount else {
            throw CryptoError(.authenticationFailed, "a sealed box has at least \(Self.nonceByteCount + Self.tagByteCount) bytes")
        }
        let nonce = Array(sealed[..<Self.nonceByteCount])
        let ciphertext = Array(sealed[Self.nonceByteCount..<(sealed.count - Self.tagByteCount)])
        var tag = Array(sealed[(sealed.count - Self.tagByteCount)...])
        let context = try makeContext(encrypting: false, nonce: nonce)
        defer { EVP_CIPHER_CTX_free(context) }
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count)
        try plaintext.withUnsafeMutableBufferPointer { plaintext in
            try update(context, associatedData, into: nil)
            let length = try update(context, ciphertext, into: plaintext.baseAddress)
            try OpenSSL.check(
                EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(Self.tagByteCount), &tag), "EVP_CTRL_GCM_SET_TAG")
            var finalLength: Int32 = 0
            guard EVP_DecryptFinal_ex(context, plaintext.baseAddress.map { $0 + Int(length) }, &finalLength) == 1 else {
                OpenSSL.clearErrors()
                throw CryptoError(.authenticationFailed, "AES-GCM tag mismatch: the sealed box or its associated data changed")
            }
        }
        return plaintext
    }

    private func makeContext(encrypting: Bool, nonce: [UInt8]) throws -> OpaquePointer {
        guard nonce.count == Self.nonceByteCount else {
            throw CryptoError(.invalidKey, "an AES-GCM nonce has \(Self.nonceByteCount) bytes, not \(nonce.count)")
        }
        let context = try OpenSSL.check(EVP_CIPHER_CTX_new(), "EVP_CIPHER_CTX_new")
        let initialized = EVP_CipherInit_ex2(context, OpenSSL.aes256GCM, key, nonce, encrypting ? 1 : 0, nil)
        guard initialized == 1 else {
            EVP_CIPHER_CTX_free(context)
            throw OpenSSL.error("EVP_CipherInit_ex2(AES-256-GCM)")
        }
        return context
    }

    /// Feeds `input` through the cipher (as associated data when `output` is nil); returns bytes written.
    @discardableResult
    private func update(_ context: OpaquePointer, _ input: [UInt8], into output: UnsafeMutablePointer<UInt8>?) throws -> Int32 {
        guard !input.isEmpty else { return 0 }
        guard let count = Int32(exactly: input.count) else {
            throw CryptoError(.invalidEncoding, "AES-GCM input of \(input.count) bytes is too large")
        }
        var length: Int32 = 0
        try OpenSSL.check(EVP_CipherUpdate(context, output, &length, input, count), "EVP_CipherUpdate")
        return length
    }

    /// `AESGCM(key: redacted)`: the key never appears in logs.
    public var description: String { "AESGCM(key: redacted)" }

    /// The same as `description`.
    public var debugDescription: String { description }

    /// No children, so `dump` cannot print the key either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
