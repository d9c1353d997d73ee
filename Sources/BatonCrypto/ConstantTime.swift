import COpenSSL

/// Comparisons whose running time does not depend on where the inputs differ (`CRYPTO_memcmp`).
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes; different lengths are unequal (lengths are not secret).
    public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        a.withContiguousBytes { a in
            b.withContiguousBytes { b in
                guard a.count == b.count else { return false }
                guard let left = a.baseAddress, let right = b.baseAddress else { return true }
                return CRYPTO_memcmp(left, right, a.count) == 0
            }
        }
    }
}
