import COpenSSL

/// SHA-256 digests, through an implementation fetched once per process.
public enum SHA256 {
    /// The digest length in bytes.
    public static let byteCount = 32

    /// The SHA-256 digest of `data`.
    public static func hash(_ data: some Collection<UInt8>) throws -> [UInt8] {
        try data.withContiguousBytes { input in
            try [UInt8](unsafeUninitializedCapacity: byteCount) { digest, initialized in
                var length: UInt32 = 0
                try OpenSSL.check(
                    EVP_Digest(input.baseAddress, input.count, digest.baseAddress, &length, OpenSSL.sha256, nil),
                    "EVP_Digest(SHA256)")
                initialized = Int(length)
            }
        }
    }
}
