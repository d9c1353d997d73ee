import BatonCore

/// Where registered clients live.
public protocol ClientStore: Sendable {
    /// The client with this id, or nil.
    func client(_ id: String) async throws -> Client?
    /// Every client, sorted by id.
    func all() async throws -> [Client]
    /// Adds a client; false if the id is taken.
    func add(_ client: Client) async throws -> Bool
    /// Replaces a client; false if there is none with that id.
    func update(_ client: Client) async throws -> Bool
    /// Removes a client; false if there was none.
    func remove(_ id: String) async throws -> Bool
}
