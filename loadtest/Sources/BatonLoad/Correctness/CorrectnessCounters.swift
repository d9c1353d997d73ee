/// Everything that must stay zero in a correct run, counted next to speed. Any non-zero count
/// fails the run (exit code 1).
public struct CorrectnessCounters: Sendable, Equatable, Codable {
    /// Answers with a status the operation never expects (5xx, 401, 429, ...).
    public var unexpectedStatus = 0
    /// `invalid_grant` for a refresh token the user had just received.
    public var falseReuseDetections = 0
    /// A success that does not continue the chain: no new refresh token, the same token again, or
    /// a current token introspected as inactive.
    public var brokenChains = 0
    /// A replayed, rotated token accepted, or the victim's family still alive after a replay.
    public var missedTheftDetections = 0
    /// Storm rounds whose answers were not all 200 with one and the same successor.
    public var stormDivergences = 0
    /// Access tokens whose kid never appeared in the JWKS or whose signature did not verify.
    public var failedVerifications = 0
    /// Connections refused, closed or timed out with a request in flight; unreadable responses.
    public var transportErrors = 0

    /// Creates zero counts.
    public init() {}

    /// The total of all failures.
    public var total: Int {
        unexpectedStatus + falseReuseDetections + brokenChains + missedTheftDetections + stormDivergences
            + failedVerifications + transportErrors
    }

    /// Each counter with its report name, in a fixed order.
    public var named: [(name: String, count: Int)] {
        [("unexpected_status", unexpectedStatus), ("false_reuse_detections", falseReuseDetections),
         ("broken_chains", brokenChains), ("missed_theft_detections", missedTheftDetections),
         ("storm_divergences", stormDivergences), ("failed_verifications", failedVerifications),
         ("transport_errors", transportErrors)]
    }

    /// Adds `other`'s counts to these.
    public mutating func add(_ other: CorrectnessCounters) {
        unexpectedStatus += other.unexpectedStatus
        falseReuseDetections += other.falseReuseDetections
        brokenChains += other.brokenChains
        missedTheftDetections += other.missedTheftDetections
        stormDivergences += other.stormDivergences
        failedVerifications += other.failedVerifications
        transportErrors += other.transportErrors
    }

    enum CodingKeys: String, CodingKey {
        case unexpectedStatus = "unexpected_status"
        case falseReuseDetections = "false_reuse_detections"
        case brokenChains = "broken_chains"
        case missedTheftDetections = "missed_theft_detections"
        case stormDivergences = "storm_divergences"
        case failedVerifications = "failed_verifications"
        case transportErrors = "transport_errors"
    }
}
