import BatonCrypto

/// Stateless DPoP nonces (RFC 9449 §8): every worker makes and checks them from the master
/// secret alone, without Redis.
///
/// Time is cut into buckets (300 s by default). A bucket's nonce is
/// `base64url(bucket number as 8 bytes big-endian ‖ HMAC-SHA256(key, those 8 bytes)[0..<16])`,
/// the key derived from the master secret under "baton dpop nonce v1". A nonce is accepted during
/// its own bucket and the next one, so it lives between one and two bucket lengths.
///
/// ```swift
/// let nonces = try DPoPNonces(keys: keys)
/// let nonce = try nonces.current(at: clock.milliseconds())       // sent as DPoP-Nonce
/// let valid = try nonces.isValid(nonce, at: clock.milliseconds())  // true for the next 300 to 600 s
/// ```
public struct DPoPNonces: Sendable {
    /// The default bucket length in seconds.
    public static let defaultBucketSeconds: Int64 = 300
    /// The bytes of the bucket number at the start of a nonce.
    private static let bucketByteCount = 8
    /// The bytes of the truncated MAC after it.
    private static let macByteCount = 16
    /// The length of a nonce in base64url characters.
    private static let nonceLength = Base64URL.encodedCount(bucketByteCount + macByteCount)

    /// The bucket length in milliseconds.
    public let bucketMilliseconds: Int64
    private let mac: HMACSHA256

    /// Nonces under `keys`' DPoP nonce key, in buckets of `bucketSeconds` (1 s to one day).
    public init(keys: DerivedKeys, bucketSeconds: Int64 = defaultBucketSeconds) throws {
        guard (1...86_400).contains(bucketSeconds) else {
            throw ConfigurationError("the DPoP nonce bucket must be 1 to 86400 seconds (it is \(bucketSeconds))")
        }
        bucketMilliseconds = bucketSeconds * 1000
        mac = keys.dpopNonce
    }

    /// The nonce of the bucket holding `milliseconds` (since 1970).
    public func current(at milliseconds: Int64) throws -> String {
        Base64URL.encodeToString(try nonceBytes(bucket: bucket(at: milliseconds)))
    }

    /// Whether `nonce` was made by this key for the bucket holding `milliseconds` or the one before.
    public func isValid(_ nonce: String, at milliseconds: Int64) throws -> Bool {
        guard nonce.utf8.count == Self.nonceLength, let bytes = try? Base64URL.decode(nonce) else { return false }
        let bucket = bytes.prefix(Self.bucketByteCount).reduce(Int64(0)) { $0 << 8 | Int64($1) }
        let now = self.bucket(at: milliseconds)
        guard bucket == now || bucket == now - 1 else { return false }
        return ConstantTime.equals(try nonceBytes(bucket: bucket), bytes)
    }

    /// Whether `milliseconds` is in the last tenth of its bucket: a 200 then carries a fresh
    /// `DPoP-Nonce`, so a client holding the previous bucket's nonce moves on before it goes stale.
    public func shouldRefresh(at milliseconds: Int64) -> Bool {
        let offset = milliseconds - bucket(at: milliseconds) * bucketMilliseconds
        return offset >= bucketMilliseconds - bucketMilliseconds / 10
    }

    /// The bucket number of `milliseconds`, rounding down.
    private func bucket(at milliseconds: Int64) -> Int64 {
        milliseconds / bucketMilliseconds - (milliseconds % bucketMilliseconds < 0 ? 1 : 0)
    }

    /// The bucket number (big-endian) followed by its truncated MAC.
    private func nonceBytes(bucket: Int64) throws -> [UInt8] {
        let number = (0..<Self.bucketByteCount).reversed().map { UInt8(truncatingIfNeeded: bucket >> ($0 * 8)) }
        return number + (try mac.authenticationCode(for: number)).prefix(Self.macByteCount)
    }
}
