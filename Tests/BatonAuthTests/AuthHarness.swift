import BatonAuth
import BatonCore
import BatonCrypto
import BatonLocalServers
import BatonRedis
import BatonStore
import BatonTesting
import Logging

/// Where a suite's families live: the pure rules in memory, or Baton's Lua scripts on a real
/// redis-server. The same tests run against both.
enum StoreKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case memory
    case redis

    var description: String { rawValue }
}

/// A `TokenService` on one kind of store, with a manual clock, a login backend and a public
/// `app` client: the rules end to end, without HTTP and without sleeping.
final class AuthHarness: Sendable {
    static let start: Int64 = 1_800_000_000_000

    let clock = ManualClock(milliseconds: AuthHarness.start)
    let logs = LogRecorder()
    let service: TokenService
    let codec: RefreshTokenCodec
    let families: any FamilyStore
    let login: Client
    let app: Client
    let other: Client
    private let memory: InMemoryFamilyStore?
    private let redisServer: RedisServer?
    private let redis: RedisClient?

    private init(kind: StoreKind, policy: ClientPolicy) async throws {
        let clients: any ClientStore
        let keyset: any KeysetStore
        switch kind {
        case .memory:
            memory = InMemoryFamilyStore()
            families = memory!
            clients = InMemoryClientStore()
            keyset = InMemoryKeysetStore()
            redisServer = nil
            redis = nil
        case .redis:
            let server = try await RedisServer.start()
            let client = RedisClient(configuration: try RedisConfiguration(url: server.url))
            try await client.waitUntilConnected(timeout: .seconds(15))
            let stores = Stores.redis(client)
            (memory, redisServer, redis) = (nil, server, client)
            (families, clients, keyset) = (stores.families, stores.clients, stores.keyset)
        }
        let keys = try DerivedKeys(try MasterSecret.generate())
        codec = RefreshTokenCodec(keys: keys)
        let logger = Logger(label: "baton-auth-test") { [logs] _ in logs }
        let keyring = Keyring(store: keyset, sealer: KeySealer(derivedKeys: keys), retention: 86_460, logger: logger)
        try await keyring.ensureActiveKey(now: clock.seconds())
        login = Client(id: "login", secretHash: try ClientAuthenticator.secretHash("login-secret"), grantTypes: [.refreshToken],
                       allowedScopes: [], permissions: [.sessions], audience: nil, policy: .standard)
        app = Client(id: "app", secretHash: nil, grantTypes: [.refreshToken], allowedScopes: ["read", "write"],
                     permissions: [], audience: nil, policy: policy)
        other = Client(id: "other", secretHash: nil, grantTypes: [.refreshToken], allowedScopes: ["read"],
                       permissions: [], audience: nil, policy: policy)
        for client in [login, app, other] { _ = try await clients.add(client) }
        service = TokenService(configuration: AuthConfiguration(), families: families, clients: ClientRegistry(store: clients),
                               keyring: keyring, codec: codec, clock: clock, logger: logger)
    }

    /// Runs `body` on a fresh harness and stops it afterwards.
    static func with(_ kind: StoreKind, policy: ClientPolicy = .standard,
                     _ body: (AuthHarness) async throws -> Void) async throws {
        let harness = try await AuthHarness(kind: kind, policy: policy)
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    private func stop() async {
        await redis?.shutdown()
        redisServer?.stop()
    }

    /// A new session of `subject` on `app`; returns the token response.
    func createSession(_ subject: String = "alice", scope: String? = nil) async throws -> TokenResponse {
        var json = #"{"sub":"\#(subject)","client_id":"app""#
        if let scope { json += #","scope":"\#(scope)""# }
        return try await service.createSession(caller: login, request: try SessionRequest(json: Array((json + "}").utf8)))
    }

    /// Presents a refresh token as `client` (default `app`).
    func refresh(_ token: [UInt8], as client: Client? = nil, scope: String? = nil) async throws -> TokenResponse {
        var form = "grant_type=refresh_token&refresh_token=" + String(decoding: token, as: UTF8.self)
        if let scope { form += "&scope=" + scope.replacingOccurrences(of: " ", with: "+") }
        return try await service.refresh(client: client ?? app, form: try FormBody(Array(form.utf8)))
    }

    /// The OAuth error a refresh ends in, or nil if it succeeded.
    func refusal(_ token: [UInt8], as client: Client? = nil) async throws -> BatonError.Code? {
        do {
            _ = try await refresh(token, as: client)
            return nil
        } catch let error as BatonError {
            return error.code
        }
    }

    /// The session a token belongs to.
    func session(of token: [UInt8]) throws -> SessionID { try codec.verify(token).sessionID }

    /// A store failover that lost the last rotations: the family is back at `generation`.
    func loseRotations(_ session: SessionID, backTo generation: UInt64) async throws {
        if let memory { memory.rollBack(session, to: generation) }
        if let redis { _ = try await redis.send("HSET", KeySchema.family(session), FamilyField.generation.rawValue, String(generation)) }
    }

    /// How many refreshes reached the store.
    func refreshesInStore() async throws -> Int {
        if let memory { return memory.refreshCalls }
        let info = try await redis!.send("INFO", "commandstats").string ?? ""
        guard let line = info.split(separator: "\r\n").first(where: { $0.hasPrefix("cmdstat_evalsha:") }),
              let calls = line.split(separator: ",").first?.split(separator: "=").last else { return 0 }
        return Int(calls) ?? 0
    }
}
