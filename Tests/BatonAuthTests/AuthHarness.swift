import BatonAuth
import BatonCore
import BatonCrypto
import BatonLocalServers
import BatonRedis
import BatonStore
import BatonTesting
import Logging
import Testing

/// Where a suite's families live: the pure rules in memory, or Baton's Lua scripts on a real
/// redis-server, a Redis Cluster or a Sentinel-managed primary. The same tests run against all four.
enum StoreKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case memory
    case redis
    case cluster
    case sentinel

    var description: String { rawValue }
}

/// One Redis Cluster and one Sentinel deployment for a whole suite (forming them takes seconds),
/// emptied before each test that uses them; the suite must be serialized.
///
/// Suites with this trait take turns: each holds two of `DeploymentGate`'s two permits (one per
/// deployment), taken one after the other, so two such suites starting together would each hold
/// one and wait for the other's forever.
struct SharedRedisDeployments: SuiteTrait, TestScoping {
    @TaskLocal static var current: [RedisDeploymentServers.Kind: RedisDeploymentServers] = [:]

    /// The turn of one suite at a time.
    private static let turn = Turn()

    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        await Self.turn.take()
        do {
            try await withDeployments(function)
        } catch {
            await Self.turn.pass()
            throw error
        }
        await Self.turn.pass()
    }

    private func withDeployments(_ function: @Sendable () async throws -> Void) async throws {
        let cluster = try await RedisDeploymentServers.start(.cluster)
        defer { cluster.stop() }
        let sentinel = try await RedisDeploymentServers.start(.sentinel)
        defer { sentinel.stop() }
        try await Self.$current.withValue([.cluster: cluster, .sentinel: sentinel]) { try await function() }
    }

    /// A lock held across suspension points, handed on in arrival order.
    private actor Turn {
        private var taken = false
        private var waiting: [CheckedContinuation<Void, Never>] = []

        func take() async {
            guard taken else {
                taken = true
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func pass() {
            if waiting.isEmpty { taken = false } else { waiting.removeFirst().resume() }
        }
    }
}

extension Trait where Self == SharedRedisDeployments {
    /// A Redis Cluster and a Sentinel deployment shared by the suite's tests.
    static var sharedRedisDeployments: Self { Self() }
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
    /// A confidential client of the client_credentials grant (secret "machine-secret").
    let machine: Client
    /// A confidential client of the refresh_token grant (secret "web-secret"), for sessions of a backend.
    let web: Client
    /// A public cookie-mode browser client (`spa`) whose pages run on `AuthHarness.browserOrigin`.
    let browser: Client
    /// The service's settings.
    let configuration: AuthConfiguration
    /// The DPoP nonces the service makes and checks.
    let nonces: DPoPNonces
    private let memory: InMemoryFamilyStore?
    /// The Redis deployment, and whether this harness started it (else the suite shares it).
    private let deployment: (servers: RedisDeploymentServers, owned: Bool)?
    private let redis: (any RedisDeployment)?

    private init(kind: StoreKind, policy: ClientPolicy, configuration: AuthConfiguration) async throws {
        self.configuration = configuration
        let clients: any ClientStore
        let keyset: any KeysetStore
        switch kind {
        case .memory:
            memory = InMemoryFamilyStore()
            families = memory!
            clients = InMemoryClientStore()
            keyset = InMemoryKeysetStore()
            (deployment, redis) = (nil, nil)
        case .redis, .cluster, .sentinel:
            let servers: RedisDeploymentServers
            if kind == .redis {
                servers = try await RedisDeploymentServers.start(.standalone)
            } else {
                guard let shared = SharedRedisDeployments.current[kind == .cluster ? .cluster : .sentinel] else {
                    throw LocalServerError("\(kind) needs the suite trait .sharedRedisDeployments")
                }
                try await shared.reset()
                servers = shared
            }
            let client = try RedisTopology(url: servers.url).connect()
            try await client.waitUntilReady(timeout: .seconds(20))
            let stores = Stores.redis(client)
            (memory, deployment, redis) = (nil, (servers, kind == .redis), client)
            (families, clients, keyset) = (stores.families, stores.clients, stores.keyset)
        }
        let keys = try DerivedKeys(try MasterSecret.generate())
        codec = RefreshTokenCodec(keys: keys)
        nonces = try DPoPNonces(keys: keys)
        let logger = Logger(label: "baton-auth-test") { [logs] _ in logs }
        let keyring = Keyring(store: keyset, sealer: KeySealer(derivedKeys: keys), retention: 86_460, logger: logger)
        try await keyring.ensureActiveKey(now: clock.seconds())
        login = Client(id: "login", secretHash: try ClientAuthenticator.secretHash("login-secret"), grantTypes: [.refreshToken],
                       allowedScopes: [], permissions: [.sessions], audience: nil, policy: .standard)
        app = Client(id: "app", secretHash: nil, grantTypes: [.refreshToken], allowedScopes: ["read", "write"],
                     permissions: [], audience: nil, policy: policy)
        other = Client(id: "other", secretHash: nil, grantTypes: [.refreshToken], allowedScopes: ["read"],
                       permissions: [], audience: nil, policy: policy)
        machine = Client(id: "machine", secretHash: try ClientAuthenticator.secretHash("machine-secret"),
                         grantTypes: [.clientCredentials], allowedScopes: ["read"], permissions: [], audience: nil, policy: policy)
        web = Client(id: "web", secretHash: try ClientAuthenticator.secretHash("web-secret"), grantTypes: [.refreshToken],
                     allowedScopes: ["read"], permissions: [], audience: nil, policy: policy)
        var cookiePolicy = policy
        cookiePolicy.cookieMode = true
        cookiePolicy.allowedOrigins = [Self.browserOrigin]
        browser = Client(id: "spa", secretHash: nil, grantTypes: [.refreshToken], allowedScopes: ["read"],
                         permissions: [], audience: nil, policy: cookiePolicy)
        for client in [login, app, other, machine, web, browser] { _ = try await clients.add(client) }
        service = TokenService(configuration: configuration, families: families, clients: ClientRegistry(store: clients),
                               keyring: keyring, codec: codec, dpop: try TokenService.dpopVerifier(configuration: configuration, keys: keys),
                               revocationDPoP: try TokenService.dpopRevocationVerifier(configuration: configuration, keys: keys),
                               clock: clock, logger: logger)
    }

    /// The origin of the `browser` client's pages.
    static let browserOrigin = "https://app.example"

    /// Runs `body` on a fresh harness and stops it afterwards.
    static func with(_ kind: StoreKind, policy: ClientPolicy = .standard, configuration: AuthConfiguration = AuthConfiguration(),
                     _ body: (AuthHarness) async throws -> Void) async throws {
        let harness = try await AuthHarness(kind: kind, policy: policy, configuration: configuration)
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
        if let deployment, deployment.owned { deployment.servers.stop() }
    }

    /// A new session of `subject` on `client` (default `app`; DPoP-bound to `jkt` when given); returns
    /// the token response.
    func createSession(_ subject: String = "alice", client: String = "app", scope: String? = nil,
                       jkt: String? = nil) async throws -> TokenResponse {
        var json = #"{"sub":"\#(subject)","client_id":"\#(client)""#
        if let scope { json += #","scope":"\#(scope)""# }
        if let jkt { json += #","dpop_jkt":"\#(jkt)""# }
        return try await service.createSession(caller: login, request: try SessionRequest(json: Array((json + "}").utf8)))
    }

    /// A new cookie-mode session of `subject` on the `browser` client (DPoP-bound to `jkt` when
    /// given): the login backend's response, with a handoff code instead of a refresh token.
    func createCookieSession(_ subject: String = "alice", jkt: String? = nil) async throws -> TokenResponse {
        var json = #"{"sub":"\#(subject)","client_id":"spa","delivery":"cookie""#
        if let jkt { json += #","dpop_jkt":"\#(jkt)""# }
        return try await service.createSession(caller: login, request: try SessionRequest(json: Array((json + "}").utf8)))
    }

    /// Presents a refresh token as `client` (default `app`), with these `DPoP` header values.
    func refresh(_ token: [UInt8], as client: Client? = nil, scope: String? = nil, dpop: [String] = []) async throws -> TokenResponse {
        var form = "grant_type=refresh_token&refresh_token=" + String(decoding: token, as: UTF8.self)
        if let scope { form += "&scope=" + scope.replacingOccurrences(of: " ", with: "+") }
        return try await service.refresh(client: client ?? app, form: try FormBody(Array(form.utf8)), dpopProofs: dpop)
    }

    /// The OAuth error a refresh ends in, or nil if it succeeded.
    func refusal(_ token: [UInt8], as client: Client? = nil, dpop: [String] = []) async throws -> BatonError.Code? {
        do {
            _ = try await refresh(token, as: client, dpop: dpop)
            return nil
        } catch let error as BatonError {
            return error.code
        }
    }

    /// Revokes a token (RFC 7009) as `client` (default `app`), with these `DPoP` header values.
    func revoke(_ token: [UInt8], as client: Client? = nil, dpop: [String] = []) async throws {
        let form = try FormBody(Array(("token=" + String(decoding: token, as: UTF8.self)).utf8))
        try await service.revoke(client: client ?? app, form: form, dpopProofs: dpop)
    }

    /// The session a token belongs to.
    func session(of token: [UInt8]) throws -> SessionID { try codec.verify(token).sessionID }

    /// A store failover that lost the last rotations: the family is back at `generation`.
    func loseRotations(_ session: SessionID, backTo generation: UInt64) async throws {
        if let memory { memory.rollBack(session, to: generation) }
        let key = KeySchema.family(session)
        if let redis { _ = try await redis.send(RedisCommand("HSET", key, FamilyField.generation.rawValue, String(generation)), key: key) }
    }

    /// How many refreshes reached the store.
    func refreshesInStore() async throws -> Int {
        if let memory { return memory.refreshCalls }
        return try await deployment!.servers.calls(of: "EVALSHA")
    }
}
