@testable import BatonAuth
import BatonCrypto
import Testing

/// Stateless DPoP nonces (RFC 9449 §8): an HMAC of a time bucket, valid for its bucket and the next.
@Suite struct DPoPNoncesTests {
    /// The start of a bucket of 300 s (1_800_000_000 s is a multiple of 300).
    private let bucketStart: Int64 = 1_800_000_000_000
    private let bucket: Int64 = 300_000

    private func makeNonces(secretByte: UInt8 = 7, bucketSeconds: Int64 = DPoPNonces.defaultBucketSeconds) throws -> DPoPNonces {
        try DPoPNonces(keys: DerivedKeys(MasterSecret(bytes: Array(repeating: secretByte, count: 32))), bucketSeconds: bucketSeconds)
    }

    @Test func nonceIsTheBucketNumberAndATruncatedMAC() throws {
        let nonces = try makeNonces()
        let nonce = try nonces.current(at: bucketStart)
        #expect(nonce.utf8.count == 32)
        let bytes = try Base64URL.decode(nonce)
        #expect(Array(bytes.prefix(8)) == [0, 0, 0, 0, 0, 0x5B, 0x8D, 0x80])  // 6_000_000
        let key = try HKDF.deriveKey(from: Array(repeating: 7, count: 32), info: "baton dpop nonce v1")
        #expect(Array(bytes.dropFirst(8)) == Array(try HMACSHA256(key: key).authenticationCode(for: bytes.prefix(8)).prefix(16)))
    }

    @Test func nonceIsTheSameThroughItsBucketAndChangesWithTheNext() throws {
        let nonces = try makeNonces()
        let nonce = try nonces.current(at: bucketStart)
        #expect(try nonces.current(at: bucketStart + bucket - 1) == nonce)
        #expect(try nonces.current(at: bucketStart + bucket) != nonce)
        #expect(try nonces.current(at: bucketStart - 1) != nonce)
    }

    @Test func nonceIsValidThroughItsBucketAndTheNextOnly() throws {
        let nonces = try makeNonces()
        let nonce = try nonces.current(at: bucketStart + 1_234)
        #expect(try !nonces.isValid(nonce, at: bucketStart - 1))
        #expect(try nonces.isValid(nonce, at: bucketStart))
        #expect(try nonces.isValid(nonce, at: bucketStart + bucket))
        #expect(try nonces.isValid(nonce, at: bucketStart + 2 * bucket - 1))
        #expect(try !nonces.isValid(nonce, at: bucketStart + 2 * bucket))
    }

    @Test func nonceFromAnotherSecretIsInvalid() throws {
        let nonce = try makeNonces(secretByte: 8).current(at: bucketStart)
        #expect(try !makeNonces().isValid(nonce, at: bucketStart))
    }

    @Test func alteredOrMalformedNonceIsInvalid() throws {
        let nonces = try makeNonces()
        var bytes = try Base64URL.decode(try nonces.current(at: bucketStart))
        bytes[7] ^= 1  // claims another bucket, keeps the MAC
        let otherBucket = Base64URL.encodeToString(bytes)
        bytes[7] ^= 1
        bytes[20] ^= 0x80
        let otherMAC = Base64URL.encodeToString(bytes)
        let nonce = try nonces.current(at: bucketStart)
        for wrong in [otherBucket, otherMAC, "", String(nonce.dropLast()), nonce + "A", nonce + "AAAA",
                      String(repeating: "=", count: 32), String(nonce.dropLast(2)) + "=="] {
            #expect(try !nonces.isValid(wrong, at: bucketStart), "\(wrong)")
        }
    }

    @Test func refreshIsDueInTheLastTenthOfABucket() throws {
        let nonces = try makeNonces()
        #expect(!nonces.shouldRefresh(at: bucketStart))
        #expect(!nonces.shouldRefresh(at: bucketStart + 269_999))
        #expect(nonces.shouldRefresh(at: bucketStart + 270_000))
        #expect(nonces.shouldRefresh(at: bucketStart + bucket - 1))
        #expect(!nonces.shouldRefresh(at: bucketStart + bucket))
    }

    @Test func bucketLengthIsConfigurable() throws {
        let nonces = try makeNonces(bucketSeconds: 10)
        #expect(nonces.bucketMilliseconds == 10_000)
        let nonce = try nonces.current(at: bucketStart)
        #expect(try nonces.isValid(nonce, at: bucketStart + 19_999))
        #expect(try !nonces.isValid(nonce, at: bucketStart + 20_000))
        #expect(nonces.shouldRefresh(at: bucketStart + 9_000))
        #expect(throws: ConfigurationError.self) { try makeNonces(bucketSeconds: 0) }
        #expect(throws: ConfigurationError.self) { try makeNonces(bucketSeconds: 86_401) }
    }
}
