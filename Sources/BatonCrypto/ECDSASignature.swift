import COpenSSL

/// Converts ECDSA P-256 signatures between OpenSSL's DER `ECDSA-Sig-Value` and JWS's raw `R || S`
/// (RFC 7518 §3.4: two 32-byte big-endian integers).
enum ECDSASignature {
    /// The byte length of `R` and of `S`.
    static let scalarByteCount = 32

    /// `R || S` from a DER signature.
    static func raw(fromDER der: [UInt8]) throws -> [UInt8] {
        let signature: OpaquePointer = try der.withUnsafeBufferPointer { der in
            var cursor = der.baseAddress
            return try OpenSSL.check(d2i_ECDSA_SIG(nil, &cursor, der.count), "d2i_ECDSA_SIG")
        }
        defer { ECDSA_SIG_free(signature) }
        return try [UInt8](unsafeUninitializedCapacity: 2 * scalarByteCount) { raw, initialized in
            let count = Int32(scalarByteCount)
            try OpenSSL.check(
                BN_bn2binpad(ECDSA_SIG_get0_r(signature), raw.baseAddress, count) == count
                    && BN_bn2binpad(ECDSA_SIG_get0_s(signature), raw.baseAddress! + scalarByteCount, count) == count,
                "BN_bn2binpad(ECDSA R, S)")
            initialized = 2 * scalarByteCount
        }
    }

    /// The DER form of `R || S`, or nil if `raw` is not 64 bytes.
    static func der(fromRaw raw: UnsafeRawBufferPointer) throws -> [UInt8]? {
        guard raw.count == 2 * scalarByteCount, let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return nil
        }
        let signature = try OpenSSL.check(ECDSA_SIG_new(), "ECDSA_SIG_new")
        defer { ECDSA_SIG_free(signature) }
        let r = BN_bin2bn(base, Int32(scalarByteCount), nil)
        let s = BN_bin2bn(base + scalarByteCount, Int32(scalarByteCount), nil)
        guard let r, let s, ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            throw OpenSSL.error("ECDSA_SIG_set0")
        }
        let count = Int(i2d_ECDSA_SIG(signature, nil))
        try OpenSSL.check(count > 0, "i2d_ECDSA_SIG")
        return try [UInt8](unsafeUninitializedCapacity: count) { der, initialized in
            var cursor = der.baseAddress
            try OpenSSL.check(Int(i2d_ECDSA_SIG(signature, &cursor)) == count, "i2d_ECDSA_SIG")
            initialized = count
        }
    }
}
