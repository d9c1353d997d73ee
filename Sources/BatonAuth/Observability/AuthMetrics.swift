import BatonCore

/// What the rules report for metrics; the server implements it over Prometheus.
public protocol AuthMetrics: Sendable {
    /// Counts a refresh by its outcome.
    func refreshed(_ outcome: RefreshOutcomeLabel)
    /// Records the round trip of the rotation script.
    func refreshScriptLatency(_ duration: Duration)
    /// Counts a DPoP proof refused before Redis was asked, by why.
    func dpopProofRefused(_ reason: DPoPProofRefusal.Reason)
    /// Counts a cookie-mode handoff code's exchange by the script's decision (nil: delivered).
    func handoffExchanged(refused reason: HandoffDecision.Reason?)
    /// Counts a re-established control-channel subscription.
    func controlResubscribed()
    /// Records the keyset version a worker loaded.
    func keysetLoaded(version: Int64)
}

/// Metrics that go nowhere, for tools and tests that do not read them.
public struct DiscardedMetrics: AuthMetrics {
    /// Creates the sink.
    public init() {}
    public func refreshed(_ outcome: RefreshOutcomeLabel) {}
    public func refreshScriptLatency(_ duration: Duration) {}
    public func dpopProofRefused(_ reason: DPoPProofRefusal.Reason) {}
    public func handoffExchanged(refused reason: HandoffDecision.Reason?) {}
    public func controlResubscribed() {}
    public func keysetLoaded(version: Int64) {}
}
