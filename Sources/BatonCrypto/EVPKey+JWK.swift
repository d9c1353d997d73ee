import COpenSSL

extension EVPKey {
    /// The byte length of a P-256 coordinate and of an Ed25519 public key.
    private static let coordinateByteCount = 32

    /// Imports the public key a JWK describes; the point must be on P-256, the RSA modulus large enough.
    convenience init(publicJWK jwk: JWK) throws {
        switch (jwk.keyType, jwk.curve) {
        case ("EC", "P-256"):
            let x = try Self.member(jwk.x, "x", byteCount: Self.coordinateByteCount)
            let y = try Self.member(jwk.y, "y", byteCount: Self.coordinateByteCount)
            var parameters = OSSLParameters()
            parameters.add(OSSL_PKEY_PARAM_GROUP_NAME, utf8String: "P-256")
            parameters.add(OSSL_PKEY_PARAM_PUB_KEY, octetString: [0x04] + x + y)
            try self.init(taking: Self.publicKey(type: "EC", parameters))
        case ("OKP", "Ed25519"):
            let x = try Self.member(jwk.x, "x", byteCount: Self.coordinateByteCount)
            let key = EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, x, x.count)
            try self.init(taking: OpenSSL.check(key, "EVP_PKEY_new_raw_public_key_ex", code: .invalidKey))
        case ("RSA", _):
            var parameters = OSSLParameters()
            parameters.add(OSSL_PKEY_PARAM_RSA_N, unsignedBigEndian: try Self.member(jwk.modulus, "n"))
            parameters.add(OSSL_PKEY_PARAM_RSA_E, unsignedBigEndian: try Self.member(jwk.exponent, "e"))
            try self.init(taking: Self.publicKey(type: "RSA", parameters))
        default:
            throw CryptoError(
                .unsupportedAlgorithm, "unsupported JWK key type \(jwk.keyType) / curve \(jwk.curve ?? "none")")
        }
    }

    /// The public half as a JWK with `alg`, `use` and `kid` (the RFC 7638 thumbprint).
    func publicJWK() throws -> JWK {
        var jwk: JWK
        switch algorithm {
        case .es256:
            jwk = JWK(
                keyType: "EC", curve: "P-256",
                x: Base64URL.encodeToString(try bigEndianParameter(OSSL_PKEY_PARAM_EC_PUB_X, byteCount: Self.coordinateByteCount)),
                y: Base64URL.encodeToString(try bigEndianParameter(OSSL_PKEY_PARAM_EC_PUB_Y, byteCount: Self.coordinateByteCount)))
        case .edDSA:
            var length = Self.coordinateByteCount
            let x = try [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
                try OpenSSL.check(EVP_PKEY_get_raw_public_key(pointer, buffer.baseAddress, &length), "EVP_PKEY_get_raw_public_key")
                initialized = length
            }
            jwk = JWK(keyType: "OKP", curve: "Ed25519", x: Base64URL.encodeToString(x))
        case .rs256:
            jwk = JWK(
                keyType: "RSA",
                modulus: Base64URL.encodeToString(try bigEndianParameter(OSSL_PKEY_PARAM_RSA_N)),
                exponent: Base64URL.encodeToString(try bigEndianParameter(OSSL_PKEY_PARAM_RSA_E)))
        }
        jwk.algorithm = algorithm.rawValue
        jwk.use = "sig"
        jwk.keyID = try jwk.thumbprint()
        return jwk
    }

    private static func member(_ value: String?, _ name: String, byteCount: Int? = nil) throws -> [UInt8] {
        guard let value else { throw CryptoError(.invalidKey, "the JWK has no \"\(name)\"") }
        let bytes = try Base64URL.decode(value)
        guard !bytes.isEmpty, byteCount == nil || bytes.count == byteCount else {
            throw CryptoError(.invalidKey, "the JWK's \"\(name)\" has \(bytes.count) bytes, not \(byteCount ?? 1)")
        }
        return bytes
    }

    private static func publicKey(type: String, _ parameters: OSSLParameters) throws -> OpaquePointer {
        let context = try OpenSSL.check(EVP_PKEY_CTX_new_from_name(nil, type, nil), "EVP_PKEY_CTX_new_from_name")
        defer { EVP_PKEY_CTX_free(context) }
        try OpenSSL.check(EVP_PKEY_fromdata_init(context), "EVP_PKEY_fromdata_init")
        var key: OpaquePointer?
        try parameters.withUnsafeParameters { parameters in
            try OpenSSL.check(
                EVP_PKEY_fromdata(context, &key, COpenSSL_EVP_PKEY_PUBLIC_KEY(), UnsafeMutablePointer(mutating: parameters)),
                "EVP_PKEY_fromdata(\(type))", code: .invalidKey)
        }
        return try OpenSSL.check(key, "EVP_PKEY_fromdata(\(type))", code: .invalidKey)
    }
}
