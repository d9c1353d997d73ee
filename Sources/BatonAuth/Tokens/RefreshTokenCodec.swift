import BatonCore
import BatonCrypto

/// Mints and checks refresh tokens: `btr1.<mkid>.<shard>.<fid>.<gen>.<mac>`. A token is a pure
/// function of the family and generation, so the current successor can always be recomputed
/// (for a retry in the grace window) without storing anything secret.
public struct RefreshTokenCodec: Sendable {
    let keys: DerivedKeys

    /// A codec under the keys derived from the master secret.
    public init(keys: DerivedKeys) {
        self.keys = keys
    }

    /// Appends the token for `generation` of the family `session` to `bytes` (a response body),
    /// its MAC computed in a temporary buffer: no intermediate array.
    public func appendToken(for session: SessionID, generation: UInt64, to bytes: inout [UInt8]) throws {
        RefreshToken.appendUnsignedText(masterKeyID: keys.masterKeyID, shard: session.shard, familyID: session.familyID,
                                        generation: generation, to: &bytes)
        try RefreshToken.withSigningInput(shard: session.shard, familyID: session.familyID, generation: generation) { input in
            try keys.refreshMAC.withAuthenticationCode(for: input) { Base64URL.encode($0, into: &bytes) }
        }
    }

    /// Parses a presented token and checks its MAC in constant time; a forgery is `invalid_grant`
    /// and never reaches Redis.
    public func verify(_ text: [UInt8]) throws -> RefreshToken {
        let token = try RefreshToken.parse(text)
        guard token.masterKeyID == keys.masterKeyID else {
            throw BatonError(.invalidGrant, hint: Self.invalidHint, debug: "refresh token from another master secret")
        }
        let expected = Base64URL.encode(try keys.refreshMAC.authenticationCode(for: token.signingInput))
        guard ConstantTime.equals(expected, token.mac) else {
            throw BatonError(.invalidGrant, hint: Self.invalidHint, debug: "refresh token MAC mismatch")
        }
        return token
    }

    /// The shard of a subject: 8 hex digits of a keyed hash, the hash tag of the subject's keys.
    public func shard(for subject: String) throws -> [UInt8] {
        let digest = try keys.shard.authenticationCode(for: Array(subject.utf8))
        return Hex.encode(digest.prefix(SessionID.shardLength / 2))
    }

    /// A new family id (128 random bits) under the subject's shard.
    public func newSession(for subject: String) throws -> SessionID {
        SessionID(shard: try shard(for: subject), familyID: Base64URL.encode(try Random.bytes(count: 16)))
    }

    /// The hint of every refusal of a refresh token: it never says which check failed.
    public static let invalidHint = "the refresh token is invalid, expired or revoked"
}

extension RefreshTokenCodec: RedactedDescription {
    /// The keys describe themselves redacted.
    public var publicFields: KeyValuePairs<String, Any> { ["keys": keys] }
}
