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
    /// A replay accepted, or a revoked family still refreshing.
    case missedTheft

    /// Whether the answer says nothing about the presented token (an unexpected status, a 503): the
    /// user presents the same token again.
    public var isInconclusive: Bool { self == .unexpectedStatus || self == .unavailable }
}

extension CorrectnessCounters {
    /// Counts a failed verdict (`.success` counts nothing).
    public mutating func count(_ verdict: Verdict) {
        switch verdict {
        case .success: break
        case .unexpectedStatus: unexpectedStatus += 1
        case .unavailable: unavailable += 1
        case .loggedOutByFault: loggedOutByFault += 1
        case .brokenChain: brokenChains += 1
        case .missedTheft: missedTheftDetections += 1
        }
    }
}
