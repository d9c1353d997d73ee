/// One signing key as the keyset in Redis holds it: its private key sealed (AES-256-GCM under a
/// key derived from the master secret) and the times of its lifecycle, from which every worker
/// computes the key's state with its own clock.
public struct SigningKeyRecord: Sendable, Equatable, Codable {
    /// Where a key is in its life at a given instant.
    public enum State: String, Sendable, Equatable {
        /// Published in the JWKS, not signing yet.
        case next
        /// Signing.
        case active
        /// No longer signing; still published until the tokens it signed have expired.
        case retired
        /// Compromised: unpublished at once, its tokens rejected.
        case revoked
    }

    /// `kid`: the RFC 7638 thumbprint of the public key.
    public var keyID: String
    /// `alg`: ES256, EdDSA or RS256.
    public var algorithm: String
    /// The PKCS#8 private key, sealed, base64url.
    public var sealedPrivateKey: String
    /// When it appeared in the JWKS (s since 1970).
    public var publishedAt: Int64
    /// When it starts signing (s since 1970).
    public var activatesAt: Int64
    /// When it stops signing (s since 1970), once a successor is scheduled.
    public var retiresAt: Int64?
    /// When it was revoked (s since 1970).
    public var revokedAt: Int64?

    /// Creates a record.
    public init(keyID: String, algorithm: String, sealedPrivateKey: String, publishedAt: Int64,
                activatesAt: Int64, retiresAt: Int64? = nil, revokedAt: Int64? = nil) {
        self.keyID = keyID
        self.algorithm = algorithm
        self.sealedPrivateKey = sealedPrivateKey
        self.publishedAt = publishedAt
        self.activatesAt = activatesAt
        self.retiresAt = retiresAt
        self.revokedAt = revokedAt
    }

    enum CodingKeys: String, CodingKey {
        case keyID = "kid"
        case algorithm = "alg"
        case sealedPrivateKey = "sealed"
        case publishedAt = "published_at"
        case activatesAt = "activates_at"
        case retiresAt = "retires_at"
        case revokedAt = "revoked_at"
    }

    /// The key's state at `now` (s since 1970).
    public func state(at now: Int64) -> State {
        if let revokedAt, revokedAt <= now { return .revoked }
        if let retiresAt, retiresAt <= now { return .retired }
        return activatesAt <= now ? .active : .next
    }

    /// The key that signs at `now`: of the keys in state `.active`, the one activated last.
    public static func active(in records: some Sequence<SigningKeyRecord>, at now: Int64) -> SigningKeyRecord? {
        var newest: SigningKeyRecord?
        for record in records where record.state(at: now) == .active {
            if let current = newest, (current.activatesAt, current.keyID) >= (record.activatesAt, record.keyID) { continue }
            newest = record
        }
        return newest
    }

    /// Whether the key belongs in the JWKS at `now`: not revoked, and if retired, only while tokens
    /// it signed may still be valid (`retention` seconds after retiring).
    public func isPublished(at now: Int64, retention: Int64) -> Bool {
        switch state(at: now) {
        case .revoked: return false
        case .retired: return (retiresAt ?? now) + retention > now
        case .next, .active: return publishedAt <= now
        }
    }
}
