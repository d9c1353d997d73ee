/// How one response is judged.
public enum Verdict: Sendable, Equatable {
    /// What the operation must answer.
    case success
    /// A status the operation never expects.
    case unexpectedStatus
    /// `invalid_grant` for a token the user had just received.
    case falseReuse
    /// A success that does not continue the chain.
    case brokenChain
    /// A replay accepted, or a revoked family still refreshing.
    case missedTheft
}

extension CorrectnessCounters {
    /// Counts a failed verdict (`.success` counts nothing).
    public mutating func count(_ verdict: Verdict) {
        switch verdict {
        case .success: break
        case .unexpectedStatus: unexpectedStatus += 1
        case .falseReuse: falseReuseDetections += 1
        case .brokenChain: brokenChains += 1
        case .missedTheft: missedTheftDetections += 1
        }
    }
}
