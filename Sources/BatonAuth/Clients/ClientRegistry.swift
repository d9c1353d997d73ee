import BatonCore
import Synchronization

/// Clients as a worker sees them: read from Redis and cached briefly, so the token endpoint does
/// not pay a Redis round trip for the client on every request.
public final class ClientRegistry: Sendable {
    private struct Entry {
        var client: Client?
        var fetchedAt: ContinuousClock.Instant
    }

    private let store: any ClientStore
    private let cache = Mutex<[String: Entry]>([:])
    private let lifetime: Duration

    /// A cache over `store`; an entry is fresh for `lifetime`.
    public init(store: any ClientStore, lifetime: Duration = .seconds(5)) {
        self.store = store
        self.lifetime = lifetime
    }

    /// The client with this id (nil if there is none), from the cache when fresh.
    public func client(_ id: String) async throws -> Client? {
        let now = ContinuousClock.now
        if let entry = cache.withLock({ $0[id] }), now - entry.fetchedAt < lifetime { return entry.client }
        let client = try await store.client(id)
        cache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[id] = Entry(client: client, fetchedAt: now)
        }
        return client
    }

    /// Forgets one client (after a change), or all of them.
    public func invalidate(_ id: String? = nil) {
        cache.withLock { cache in
            if let id { cache[id] = nil } else { cache.removeAll() }
        }
    }
}
