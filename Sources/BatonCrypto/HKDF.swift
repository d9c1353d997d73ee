import COpenSSL

/// HKDF with SHA-256 (RFC 5869): turns one master secret into independent named sub-keys.
///
/// ```swift
/// let keyEncryptionKey = try HKDF.deriveKey(from: masterSecret, info: "baton signing-key sealing v1")
/// ```
public enum HKDF {
    /// The largest output RFC 5869 allows with SHA-256 (255 blocks).
    public static let maximumByteCount = 255 * SHA256.byteCount

    /// RFC 5869 §2.2: a pseudorandom key from input keying material and an optional salt.
    public static func extract(salt: [UInt8] = [], inputKeyMaterial: [UInt8]) throws -> [UInt8] {
        var parameters = OSSLParameters()
        parameters.add(OSSL_KDF_PARAM_MODE, integer: Int32(EVP_KDF_HKDF_MODE_EXTRACT_ONLY))
        parameters.add(OSSL_KDF_PARAM_KEY, octetString: try nonEmpty(inputKeyMaterial, "input keying material"))
        parameters.add(OSSL_KDF_PARAM_SALT, octetString: salt)
        return try derive(parameters, byteCount: SHA256.byteCount)
    }

    /// RFC 5869 §2.3: `byteCount` bytes of output keying material from a pseudorandom key and `info`.
    public static func expand(pseudorandomKey: [UInt8], info: [UInt8], byteCount: Int) throws -> [UInt8] {
        guard pseudorandomKey.count >= SHA256.byteCount else {
            throw CryptoError(.invalidKey, "an HKDF pseudorandom key needs at least \(SHA256.byteCount) bytes")
        }
        var parameters = OSSLParameters()
        parameters.add(OSSL_KDF_PARAM_MODE, integer: Int32(EVP_KDF_HKDF_MODE_EXPAND_ONLY))
        parameters.add(OSSL_KDF_PARAM_KEY, octetString: pseudorandomKey)
        parameters.add(OSSL_KDF_PARAM_INFO, octetString: info)
        return try derive(parameters, byteCount: byteCount)
    }

    /// Extract then expand: `byteCount` bytes of output keying material.
    public static func deriveKey(
        inputKeyMaterial: [UInt8], salt: [UInt8] = [], info: [UInt8], byteCount: Int
    ) throws -> [UInt8] {
        var parameters = OSSLParameters()
        parameters.add(OSSL_KDF_PARAM_MODE, integer: Int32(EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND))
        parameters.add(OSSL_KDF_PARAM_KEY, octetString: try nonEmpty(inputKeyMaterial, "input keying material"))
        parameters.add(OSSL_KDF_PARAM_SALT, octetString: salt)
        parameters.add(OSSL_KDF_PARAM_INFO, octetString: info)
        return try derive(parameters, byteCount: byteCount)
    }

    /// The sub-key named `info` of `masterSecret` (no salt): distinct names give independent keys.
    public static func deriveKey(from masterSecret: [UInt8], info: String, byteCount: Int = 32) throws -> [UInt8] {
        try deriveKey(inputKeyMaterial: masterSecret, info: Array(info.utf8), byteCount: byteCount)
    }

    private static func derive(_ parameters: OSSLParameters, byteCount: Int) throws -> [UInt8] {
        guard (1...maximumByteCount).contains(byteCount) else {
            throw CryptoError(.invalidKey, "HKDF-SHA256 output must be 1...\(maximumByteCount) bytes, not \(byteCount)")
        }
        var parameters = parameters
        parameters.add(OSSL_KDF_PARAM_DIGEST, utf8String: "SHA256")
        let context = try OpenSSL.check(EVP_KDF_CTX_new(OpenSSL.hkdf), "EVP_KDF_CTX_new(HKDF)")
        defer { EVP_KDF_CTX_free(context) }
        return try [UInt8](unsafeUninitializedCapacity: byteCount) { output, initialized in
            try parameters.withUnsafeParameters { parameters in
                try OpenSSL.check(EVP_KDF_derive(context, output.baseAddress, byteCount, parameters), "EVP_KDF_derive(HKDF)")
            }
            initialized = byteCount
        }
    }

    private static func nonEmpty(_ bytes: [UInt8], _ name: String) throws -> [UInt8] {
        guard !bytes.isEmpty else { throw CryptoError(.invalidKey, "HKDF \(name) must not be empty") }
        return bytes
    }
}
