import COpenSSL

/// An owned `EVP_PKEY` of one of the `SigningAlgorithm`s, checked on the way in (curve, type, size).
///
/// OpenSSL 3 documents a key that is no longer modified as safe to use from many threads at once, and
/// nothing here modifies one after `init`, hence `@unchecked Sendable`.
final class EVPKey: @unchecked Sendable {
    /// The key; freed with this object.
    let pointer: OpaquePointer
    /// The algorithm the key is for, derived from its type (and curve, size).
    let algorithm: SigningAlgorithm

    /// Takes ownership of `pointer` (freeing it if the key is not acceptable).
    init(taking pointer: OpaquePointer) throws {
        do {
            algorithm = try Self.algorithm(of: pointer)
        } catch {
            EVP_PKEY_free(pointer)
            throw error
        }
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// A new private key for `algorithm` (P-256, Ed25519, or RSA-2048 with e = 65537).
    static func generate(_ algorithm: SigningAlgorithm) throws -> EVPKey {
        let context = try OpenSSL.check(
            EVP_PKEY_CTX_new_from_name(nil, algorithm.keyTypeName, nil), "EVP_PKEY_CTX_new_from_name")
        defer { EVP_PKEY_CTX_free(context) }
        try OpenSSL.check(EVP_PKEY_keygen_init(context), "EVP_PKEY_keygen_init")
        switch algorithm {
        case .es256: try OpenSSL.check(EVP_PKEY_CTX_set_group_name(context, "P-256"), "EVP_PKEY_CTX_set_group_name")
        case .rs256:
            try OpenSSL.check(
                EVP_PKEY_CTX_set_rsa_keygen_bits(context, SigningAlgorithm.minimumRSABits), "EVP_PKEY_CTX_set_rsa_keygen_bits")
        case .edDSA: break
        }
        var key: OpaquePointer?
        try OpenSSL.check(EVP_PKEY_generate(context, &key), "EVP_PKEY_generate")
        return try EVPKey(taking: OpenSSL.check(key, "EVP_PKEY_generate"))
    }

    /// The size in bytes of the largest signature this key makes (DER for ECDSA).
    var maximumSignatureByteCount: Int {
        Int(EVP_PKEY_get_size(pointer))
    }

    /// A big-number parameter of the key (`"n"`, `"qx"`, …) as unsigned big-endian bytes, left-padded
    /// with zeros to `byteCount` when one is given.
    func bigEndianParameter(_ name: String, byteCount: Int? = nil) throws -> [UInt8] {
        var number: OpaquePointer?
        try OpenSSL.check(EVP_PKEY_get_bn_param(pointer, name, &number), "EVP_PKEY_get_bn_param(\(name))")
        defer { BN_free(number) }
        let count = byteCount ?? Int(COpenSSL_BN_num_bytes(number))
        return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            try OpenSSL.check(
                BN_bn2binpad(number, buffer.baseAddress, Int32(count)) == count, "BN_bn2binpad(\(name))",
                code: .invalidKey)
            initialized = count
        }
    }

    private static func algorithm(of key: OpaquePointer) throws -> SigningAlgorithm {
        if EVP_PKEY_is_a(key, "ED25519") == 1 {
            return .edDSA
        }
        if EVP_PKEY_is_a(key, "RSA") == 1 {
            let bits = EVP_PKEY_get_bits(key)
            guard bits >= SigningAlgorithm.minimumRSABits else {
                throw CryptoError(.invalidKey, "RSA keys need at least \(SigningAlgorithm.minimumRSABits) bits, not \(bits)")
            }
            return .rs256
        }
        if EVP_PKEY_is_a(key, "EC") == 1 {
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            try OpenSSL.check(
                EVP_PKEY_get_group_name(key, &name, name.count, &length), "EVP_PKEY_get_group_name", code: .invalidKey)
            let group = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard group == "prime256v1" || group == "P-256" else {
                throw CryptoError(.unsupportedAlgorithm, "EC keys must be on P-256, not \(group)")
            }
            return .es256
        }
        throw CryptoError(.unsupportedAlgorithm, "the key is neither P-256, Ed25519 nor RSA")
    }
}
