import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG (`RAND_bytes`).
///
/// ```swift
/// let familyID = try Random.bytes(count: 16)
/// ```
public enum Random {
    /// Returns `count` random bytes.
    public static func bytes(count: Int) throws -> [UInt8] {
        precondition(count >= 0, "Random.bytes(count:) needs a non-negative count")
        return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            try fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// Overwrites every byte of `buffer` with random bytes.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        try OpenSSL.check(
            RAND_bytes_ex(nil, base.assumingMemoryBound(to: UInt8.self), buffer.count, 0), "RAND_bytes_ex")
    }
}
