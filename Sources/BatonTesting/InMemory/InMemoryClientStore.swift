import BatonAuth
import BatonCore
import Synchronization

/// Registered clients in memory.
public final class InMemoryClientStore: ClientStore {
    private let clients = Mutex<[String: Client]>([:])

    /// An empty store.
    public init() {}

    public func client(_ id: String) async throws -> Client? { clients.withLock { $0[id] } }

    public func all() async throws -> [Client] { clients.withLock { $0.values.sorted { $0.id < $1.id } } }

    public func add(_ client: Client) async throws -> Bool {
        clients.withLock { clients in
            guard clients[client.id] == nil else { return false }
            clients[client.id] = client
            return true
        }
    }

    public func update(_ client: Client) async throws -> Bool {
        clients.withLock { clients in
            guard clients[client.id] != nil else { return false }
            clients[client.id] = client
            return true
        }
    }

    public func remove(_ id: String) async throws -> Bool {
        clients.withLock { $0.removeValue(forKey: id) != nil }
    }
}
