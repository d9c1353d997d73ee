import BatonCore
import BatonCrypto

/// The keys derived from the master secret with HKDF-SHA256, each under its own label.
public final class DerivedKeys: Sendable {
    /// Names the master secret in refresh tokens (`mkid`): 6 hex digits, not secret.
    let masterKeyID: [UInt8]
    /// Authenticates refresh tokens.
    let refreshMAC: HMACSHA256
    /// Maps subjects to shards (so shards reveal nothing about subjects).
    let shard: HMACSHA256
    /// Seals signing keys at rest in Redis.
    let keyEncryption: AESGCM
    /// Authenticates the stateless DPoP nonces (`DPoPNonces`).
    let dpopNonce: HMACSHA256
    /// Authenticates cookie-mode handoff codes (`HandoffCode`).
    let handoffMAC: HMACSHA256

    /// Derives every key from `secret`.
    public init(_ secret: MasterSecret) throws {
        let identifier = try HKDF.deriveKey(from: secret.bytes, info: "baton master key id v1", byteCount: 3)
        masterKeyID = Hex.encode(identifier)
        refreshMAC = try HMACSHA256(key: HKDF.deriveKey(from: secret.bytes, info: "baton refresh token mac v1"))
        shard = try HMACSHA256(key: HKDF.deriveKey(from: secret.bytes, info: "baton subject shard v1"))
        keyEncryption = try AESGCM(key: HKDF.deriveKey(from: secret.bytes, info: "baton signing key encryption v1"))
        dpopNonce = try HMACSHA256(key: HKDF.deriveKey(from: secret.bytes, info: "baton dpop nonce v1"))
        handoffMAC = try HMACSHA256(key: HKDF.deriveKey(from: secret.bytes, info: "baton handoff code mac v1"))
    }
}

extension DerivedKeys: RedactedDescription {
    /// The master key id only (it names the secret in tokens; it is not secret).
    public var publicFields: KeyValuePairs<String, Any> { ["masterKeyID": String(decoding: masterKeyID, as: UTF8.self)] }
}
