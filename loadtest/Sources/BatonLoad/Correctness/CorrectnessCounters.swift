/// Everything that must stay zero in a correct run, counted next to speed. Any non-zero count
/// fails the run (exit code 1).
public struct CorrectnessCounters: Sendable, Equatable, Codable {
    /// Answers with a status the operation never expects (5xx other than 503
    /// `temporarily_unavailable`, 401, 429, ...).
    public var unexpectedStatus = 0
    /// 503 `temporarily_unavailable` answers (the store away, e.g. failing over); the user presents
    /// the same token again.
    public var unavailable = 0
    /// Refreshes of a token the harness never replayed (the user's current one, or the same one
    /// again after a 503 or a transport error) refused with `invalid_grant`: the session is lost and
    /// the user logs in again (in `storm`, every such answer of a round counts). Deliberate replays
    /// (theft) are not counted.
    public var loggedOutByFault = 0
    /// A success that does not continue the chain: no new refresh token, the same token again, or
    /// a current token introspected as inactive.
    public var brokenChains = 0
    /// A replayed, rotated token accepted, or the victim's family still alive after a replay; with
    /// `--dpop`, a stolen token accepted without the user's key.
    public var missedTheftDetections = 0
    /// With `--dpop`, families revoked by a thief without the key: its request, or the user's next
    /// refresh after it, answered `invalid_grant` (DESIGN.md §5b: it must neither refresh nor revoke).
    public var familiesKilled = 0
    /// Storm rounds whose answers were not all 200 with one and the same successor.
    public var stormDivergences = 0
    /// Access tokens whose kid never appeared in the JWKS or whose signature did not verify.
    public var failedVerifications = 0
    /// Connections refused, closed or timed out with a request in flight; unreadable responses. A
    /// request lost so is sent again, with the same token.
    public var transportErrors = 0

    /// Creates zero counts.
    public init() {}

    /// The total of all failures.
    public var total: Int {
        unexpectedStatus + unavailable + loggedOutByFault + brokenChains + missedTheftDetections + familiesKilled
            + stormDivergences + failedVerifications + transportErrors
    }

    /// Each counter with its report name, in a fixed order.
    public var named: [(name: String, count: Int)] {
        [("unexpected_status", unexpectedStatus), ("unavailable", unavailable), ("logged_out_by_fault", loggedOutByFault),
         ("broken_chains", brokenChains), ("missed_theft_detections", missedTheftDetections),
         ("families_killed", familiesKilled), ("storm_divergences", stormDivergences), ("failed_verifications", failedVerifications),
         ("transport_errors", transportErrors)]
    }

    /// Adds `other`'s counts to these.
    public mutating func add(_ other: CorrectnessCounters) {
        unexpectedStatus += other.unexpectedStatus
        unavailable += other.unavailable
        loggedOutByFault += other.loggedOutByFault
        brokenChains += other.brokenChains
        missedTheftDetections += other.missedTheftDetections
        familiesKilled += other.familiesKilled
        stormDivergences += other.stormDivergences
        failedVerifications += other.failedVerifications
        transportErrors += other.transportErrors
    }

    enum CodingKeys: String, CodingKey {
        case unexpectedStatus = "unexpected_status"
        case unavailable
        case loggedOutByFault = "logged_out_by_fault"
        case brokenChains = "broken_chains"
        case missedTheftDetections = "missed_theft_detections"
        case familiesKilled = "families_killed"
        case stormDivergences = "storm_divergences"
        case failedVerifications = "failed_verifications"
        case transportErrors = "transport_errors"
    }
}
