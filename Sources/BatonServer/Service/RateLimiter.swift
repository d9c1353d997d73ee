import BatonCore
import BatonStore
import NIOCore

/// Limits token-endpoint requests per client and per source address, across all workers
/// (counters in Redis, fixed windows). Off unless a limit is configured; when on, it costs one
/// extra Redis round trip per request.
struct RateLimiter: Sendable {
    let store: RateLimitStore
    let perClient: Int?
    let perAddress: Int?
    let window: Duration

    /// Whether any limit is configured.
    var isEnabled: Bool { perClient != nil || perAddress != nil }

    /// Counts a request; throws `too_many_requests` (429 with `Retry-After`) over a limit.
    func check(clientID: String, address: SocketAddress?) async throws {
        var counters: [(key: String, limit: Int)] = []
        if let perClient { counters.append(("c:" + clientID, perClient)) }
        if let perAddress, let ip = address?.ipAddress { counters.append(("a:" + ip, perAddress)) }
        let milliseconds = window.components.seconds * 1000 + window.components.attoseconds / 1_000_000_000_000_000
        guard let wait = try await store.hit(counters, windowMilliseconds: max(1, milliseconds)) else { return }
        throw BatonError(.tooManyRequests, hint: "too many requests; retry after the Retry-After delay",
                         retryAfter: Int((wait + 999) / 1000))
    }
}
