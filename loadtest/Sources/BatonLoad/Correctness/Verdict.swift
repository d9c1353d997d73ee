/// How one response is judged.
public enum Verdict: Sendable, Equatable {
    /// What the operation must answer.
    case success
    /// A status the operation never expects.
    case unexpectedStatus
    /// 503 `temporarily_unavailable`: the server could not reach its store.
    case unavailable
    /// `invalid_grant` for a token the user never replayed: its current one, or the same one again
    /// after a 503 or a transport error (the grace window makes that retry safe).
    case loggedOutByFault
    /// A success that does not continue the chain.
    case brokenChain
    /// A replay accepted, or a revoked family still refreshing; with DPoP, a stolen token accepted
    /// without the family's key.
    case missedTheft
    /// With DPoP, a family revoked by requests made without its key: a thief's, or the user's own
    /// next refresh found it dead.
    case familyKilled
    /// 400 `use_dpop_nonce` with a `DPoP-Nonce` (RFC 9449 §8): not a failure; the request is made
    /// again with that nonce.
    case nonceChallenge

    /// Whether the answer says nothing about the presented token (an unexpected status, a 503, a
    /// nonce challenge): the user presents the same token again.
    public var isInconclusive: Bool { self == .unexpectedStatus || self == .unavailable || self == .nonceChallenge }

    /// Whether the same request is simply sent again, the answer not counting as one (a 503, a
    /// nonce challenge): a storm round waits for its answer.
    public var repeatsRequest: Bool { self == .unavailable || self == .nonceChallenge }

    /// Whether the answer counts against the run (everything but `.success` and `.nonceChallenge`).
    public var isFailure: Bool { self != .success && self != .nonceChallenge }
}

extension CorrectnessCounters {
    /// Counts a failed verdict (`.success` and `.nonceChallenge` count nothing).
    public mutating func count(_ verdict: Verdict) {
        switch verdict {
        case .success, .nonceChallenge: break
        case .unexpectedStatus: unexpectedStatus += 1
        case .unavailable: unavailable += 1
        case .loggedOutByFault: loggedOutByFault += 1
        case .brokenChain: brokenChains += 1
        case .missedTheft: missedTheftDetections += 1
        case .familyKilled: familiesKilled += 1
        }
    }
}
