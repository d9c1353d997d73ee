import BatonCore

/// Limits token-endpoint requests per client and per source address, across all workers
/// (counters in the store, fixed windows). Off unless a limit is configured; when on, it costs one
/// extra store round trip per request.
public struct RateLimiter: Sendable {
    let store: any RateLimitStore
    let perClient: Int?
    let perAddress: Int?
    let window: Duration

    /// A limiter with the configured limits.
    public init(store: any RateLimitStore, configuration: AuthConfiguration) {
        self.store = store
        perClient = configuration.rateLimitPerClient
        perAddress = configuration.rateLimitPerAddress
        window = configuration.rateLimitWindow
    }

    /// Whether any limit is configured.
    public var isEnabled: Bool { perClient != nil || perAddress != nil }

    /// Counts a request from `address` (an IP address, if known); throws `too_many_requests`
    /// (429 with `Retry-After`) over a limit.
    public func check(clientID: String, address: String?) async throws {
        var counters: [(key: String, limit: Int)] = []
        if let perClient { counters.append(("c:" + clientID, perClient)) }
        if let perAddress, let address { counters.append(("a:" + address, perAddress)) }
        let milliseconds = window.components.seconds * 1000 + window.components.attoseconds / 1_000_000_000_000_000
        guard let wait = try await store.hit(counters, windowMilliseconds: max(1, milliseconds)) else { return }
        throw BatonError(.tooManyRequests, hint: "too many requests; retry after the Retry-After delay",
                         retryAfter: Int((wait + 999) / 1000))
    }
}
