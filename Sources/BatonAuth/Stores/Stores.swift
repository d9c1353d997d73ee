/// Every store a worker uses, as one value the composition root builds (`Stores.redis(_:)` in
/// production, in-memory stores in tests).
public struct Stores: Sendable {
    /// Refresh-token families.
    public var families: any FamilyStore
    /// The signing keyset.
    public var keyset: any KeysetStore
    /// Registered clients.
    public var clients: any ClientStore
    /// Rate-limit counters.
    public var rateLimits: any RateLimitStore
    /// Keyset and client change announcements.
    public var control: any ControlChannel
    /// Readiness.
    public var health: any StoreHealth

    /// Groups the stores.
    public init(families: any FamilyStore, keyset: any KeysetStore, clients: any ClientStore,
                rateLimits: any RateLimitStore, control: any ControlChannel, health: any StoreHealth) {
        self.families = families
        self.keyset = keyset
        self.clients = clients
        self.rateLimits = rateLimits
        self.control = control
        self.health = health
    }
}
