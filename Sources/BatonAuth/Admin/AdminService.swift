import BatonCore
import BatonCrypto

/// What an operator can do, over HTTP (`/admin`) or the CLI: manage clients and users' sessions.
public struct AdminService: Sendable {
    let clients: any ClientStore
    let families: any FamilyStore
    /// Needed for users' sessions (their shards come from the master secret); nil for client-only use.
    let codec: RefreshTokenCodec?
    let defaultPolicy: ClientPolicy
    /// The worker's client cache to invalidate on changes (nil in the CLI, which has none).
    let registry: ClientRegistry?
    let clock: any WallClock

    /// Creates the service; without a `codec` only clients can be managed.
    public init(clients: any ClientStore, families: any FamilyStore, codec: RefreshTokenCodec?,
                defaultPolicy: ClientPolicy, registry: ClientRegistry?, clock: any WallClock) {
        self.clients = clients
        self.families = families
        self.codec = codec
        self.defaultPolicy = defaultPolicy
        self.registry = registry
        self.clock = clock
    }

    /// The longest a family can live: how long a logout-everywhere must be remembered (ms).
    static let revocationRetention: Int64 = 5 * 365 * 86_400_000

    /// Creates a client; returns it with its secret (shown once, stored only as a hash).
    public func createClient(_ draft: ClientDraft) async throws -> (client: Client, secret: String?) {
        let id = try draft.clientID ?? "client-" + Base64URL.encodeToString(try Random.bytes(count: 9))
        guard Client.isValidID(id) else {
            throw BatonError(.invalidRequest, hint: "client_id must be 1-128 characters of A-Z a-z 0-9 . _ ~ -")
        }
        let secret = draft.isPublic == true ? nil : Base64URL.encodeToString(try Random.bytes(count: 32))
        let blank = Client(id: id, secretHash: try secret.map(ClientAuthenticator.secretHash), grantTypes: [.refreshToken],
                           allowedScopes: [], permissions: [], audience: nil, policy: defaultPolicy)
        let client = try draft.applied(to: blank)
        guard try await clients.add(client) else {
            throw BatonError(.conflict, hint: "a client with that client_id exists")
        }
        return (client, secret)
    }

    /// Changes a client's settings (not its id, kind or secret).
    public func updateClient(_ id: String, _ draft: ClientDraft) async throws -> Client {
        guard draft.clientID == nil || draft.clientID == id, draft.isPublic == nil else {
            throw BatonError(.invalidRequest, hint: "client_id and public cannot be changed")
        }
        guard let existing = try await clients.client(id) else { throw Self.noClient }
        let client = try draft.applied(to: existing)
        guard try await clients.update(client) else { throw Self.noClient }
        registry?.invalidate(id)
        return client
    }

    /// Removes a client. Its sessions can no longer refresh (the client is unknown).
    public func removeClient(_ id: String) async throws {
        guard try await clients.remove(id) else { throw Self.noClient }
        registry?.invalidate(id)
    }

    /// Every client.
    public func listClients() async throws -> [Client] { try await clients.all() }

    /// One client.
    public func client(_ id: String) async throws -> Client {
        guard let client = try await clients.client(id) else { throw Self.noClient }
        return client
    }

    /// A user's live sessions.
    public func sessions(of subject: String) async throws -> [FamilyState] {
        try await families.sessions(shard: try shard(of: subject), subject: subject)
    }

    /// Revokes one session of a user; false if there was none.
    public func revokeSession(_ sessionID: String, of subject: String) async throws -> Bool {
        guard let session = SessionID(sessionID), session.shard == (try shard(of: subject)),
              let state = try await families.state(of: session), state.subject == subject
        else { return false }
        return try await families.revoke(session, clientID: nil, proof: .notRequired) == .revoked
    }

    /// Logs a user out everywhere (O(1)); returns how many indexed sessions ended.
    public func revokeAllSessions(of subject: String) async throws -> Int {
        try await families.revokeUser(shard: try shard(of: subject), subject: subject,
                                      now: clock.milliseconds(), retentionMilliseconds: Self.revocationRetention)
    }

    private func shard(of subject: String) throws -> [UInt8] {
        guard let codec else { throw ConfigurationError("managing sessions needs the master secret") }
        return try codec.shard(for: subject)
    }

    private static var noClient: BatonError { BatonError(.notFound, hint: "no such client") }
}
