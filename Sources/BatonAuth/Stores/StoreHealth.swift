/// Whether the store answers right now, for readiness checks.
public protocol StoreHealth: Sendable {
    /// True when the store answered a ping.
    func isReachable() async -> Bool
}
