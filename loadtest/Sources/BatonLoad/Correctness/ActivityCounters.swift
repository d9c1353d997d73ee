/// What the scenarios did besides plain requests: evidence that the checks actually ran.
public struct ActivityCounters: Sendable, Equatable, Codable {
    /// Sessions created (setup and measured).
    public var sessionsCreated = 0
    /// Storm rounds completed.
    public var stormRounds = 0
    /// Stolen-token replays sent.
    public var theftAttempts = 0
    /// Replays refused and families revoked, as they must be.
    public var theftsDetected = 0
    /// With `--dpop`: the thief's requests (a stolen token with no proof, or with a proof of the
    /// thief's own key) refused with `invalid_dpop_proof`, as they must be.
    public var stolenTokensRefused = 0
    /// With `--dpop`: families whose user refreshed after the thief's attempts, as it must.
    public var familiesLeftAlive = 0
    /// Requests answered `use_dpop_nonce` with a `DPoP-Nonce` and sent again with it.
    public var dpopNonceRetries = 0
    /// Access tokens whose signature was verified against the JWKS.
    public var tokensVerified = 0
    /// JWKS fetches.
    public var jwksFetches = 0
    /// Signing-key rotations performed through the admin API.
    public var keyRotations = 0
    /// Sessions lost to a failure (logged out by a fault, a broken chain, a divergent storm round);
    /// the user logs in again. A logout (revoke) or the end of a theft cycle is not counted.
    public var usersReplaced = 0

    /// Creates zero counts.
    public init() {}

    /// Adds `other`'s counts to these.
    public mutating func add(_ other: ActivityCounters) {
        sessionsCreated += other.sessionsCreated
        stormRounds += other.stormRounds
        theftAttempts += other.theftAttempts
        theftsDetected += other.theftsDetected
        stolenTokensRefused += other.stolenTokensRefused
        familiesLeftAlive += other.familiesLeftAlive
        dpopNonceRetries += other.dpopNonceRetries
        tokensVerified += other.tokensVerified
        jwksFetches += other.jwksFetches
        keyRotations += other.keyRotations
        usersReplaced += other.usersReplaced
    }

    enum CodingKeys: String, CodingKey {
        case sessionsCreated = "sessions_created"
        case stormRounds = "storm_rounds"
        case theftAttempts = "theft_attempts"
        case theftsDetected = "thefts_detected"
        case stolenTokensRefused = "stolen_tokens_refused"
        case familiesLeftAlive = "families_left_alive"
        case dpopNonceRetries = "dpop_nonce_retries"
        case tokensVerified = "tokens_verified"
        case jwksFetches = "jwks_fetches"
        case keyRotations = "key_rotations"
        case usersReplaced = "users_replaced"
    }
}
