import BatonCore
import BatonRedis
import Foundation

/// Registered clients in Redis: one hash of client id → JSON record.
public struct RedisClientStore: Sendable {
    private let redis: any RedisDeployment

    /// Creates the store on a Redis deployment.
    public init(redis: any RedisDeployment) {
        self.redis = redis
    }

    /// The client with this id, or nil.
    public func client(_ id: String) async throws -> Client? {
        let reply = try await redis.storeSend("HGET", KeySchema.clients, id)
        guard let bytes = reply.bytes else { return nil }
        return try JSONDecoder().decode(Client.self, from: Data(bytes))
    }

    /// Every client, sorted by id.
    public func all() async throws -> [Client] {
        let reply = try await redis.storeSend("HVALS", KeySchema.clients)
        let decoder = JSONDecoder()
        return try (reply.array ?? []).compactMap(\.bytes).map { try decoder.decode(Client.self, from: Data($0)) }
            .sorted { $0.id < $1.id }
    }

    /// Adds a client; returns false if the id is taken.
    public func add(_ client: Client) async throws -> Bool {
        let reply = try await redis.storeEvaluate(writeClientScript, keys: [KeySchema.clients, KeySchema.version],
                                             arguments: ["add", client.id, try Self.json(client), KeySchema.controlChannel])
        return reply.int == 1
    }

    /// Replaces an existing client; returns false if there is none with that id.
    public func update(_ client: Client) async throws -> Bool {
        let reply = try await redis.storeEvaluate(writeClientScript, keys: [KeySchema.clients, KeySchema.version],
                                             arguments: ["update", client.id, try Self.json(client), KeySchema.controlChannel])
        return reply.int == 1
    }

    /// Removes a client; returns false if there was none.
    public func remove(_ id: String) async throws -> Bool {
        let reply = try await redis.storeEvaluate(writeClientScript, keys: [KeySchema.clients, KeySchema.version],
                                             arguments: ["remove", id, "", KeySchema.controlChannel])
        return reply.int == 1
    }

    private static func json(_ client: Client) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(client), as: UTF8.self)
    }
}
