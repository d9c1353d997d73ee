import COpenSSL

extension EVPKey {
    /// Parses an unencrypted PKCS#8 `PrivateKeyInfo` (DER), rejecting trailing bytes.
    convenience init(pkcs8 der: [UInt8]) throws {
        guard !der.isEmpty else { throw CryptoError(.invalidKey, "PKCS#8 DER is empty") }
        let info: OpaquePointer = try der.withUnsafeBufferPointer { der in
            var cursor: UnsafePointer<UInt8>? = der.baseAddress
            let parsed = d2i_PKCS8_PRIV_KEY_INFO(nil, &cursor, der.count)
            guard let parsed else { throw OpenSSL.error("d2i_PKCS8_PRIV_KEY_INFO", code: .invalidKey) }
            guard cursor == der.baseAddress.map({ $0 + der.count }) else {
                PKCS8_PRIV_KEY_INFO_free(parsed)
                throw CryptoError(.invalidKey, "PKCS#8 DER has trailing bytes")
            }
            return parsed
        }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        try self.init(taking: OpenSSL.check(EVP_PKCS82PKEY(info), "EVP_PKCS82PKEY", code: .invalidKey))
    }

    /// The private key as an unencrypted PKCS#8 `PrivateKeyInfo` (DER): secret, seal it before storing.
    func pkcs8() throws -> [UInt8] {
        let info = try OpenSSL.check(EVP_PKEY2PKCS8(pointer), "EVP_PKEY2PKCS8")
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        let count = Int(i2d_PKCS8_PRIV_KEY_INFO(info, nil))
        try OpenSSL.check(count > 0, "i2d_PKCS8_PRIV_KEY_INFO")
        return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var cursor = buffer.baseAddress
            try OpenSSL.check(Int(i2d_PKCS8_PRIV_KEY_INFO(info, &cursor)) == count, "i2d_PKCS8_PRIV_KEY_INFO")
            initialized = count
        }
    }
}
