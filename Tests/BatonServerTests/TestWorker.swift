import BatonAuth
import BatonCore
import BatonRedis
import BatonServer
import BatonLocalServers
import BatonTesting
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// One Baton worker in this process on a fresh redis-server, reached over real HTTP on a free
/// port. Records its log lines so tests can see events such as `reuse_detected`.
final class TestWorker: Sendable {
    static let adminToken = "test-admin-token"

    let redisServer: RedisServer
    let redis: RedisClient
    let port: Int
    let masterSecret: MasterSecret
    let logs: LogRecorder
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    private init(redisServer: RedisServer, redis: RedisClient, port: Int, masterSecret: MasterSecret, logs: LogRecorder,
                 group: ServiceGroup, running: Task<Void, any Error>) {
        self.redisServer = redisServer
        self.redis = redis
        self.port = port
        self.masterSecret = masterSecret
        self.logs = logs
        self.group = group
        self.running = running
    }

    /// Starts Redis and a worker; `configure` may change the server configuration.
    static func start(redisTimeout: Duration = .seconds(2), appendOnly: Bool = false, clock: any WallClock = SystemClock(),
                      configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestWorker {
        let redisServer = try await RedisServer.start(appendOnly: appendOnly)
        var redisConfiguration = try RedisConfiguration(url: redisServer.url)
        redisConfiguration.commandTimeout = redisTimeout
        redisConfiguration.connectionCount = 2
        let redis = RedisClient(configuration: redisConfiguration)
        do {
            return try await start(redisServer: redisServer, redis: redis, clock: clock, configure: configure)
        } catch {
            // A worker that never started leaves no redis-server behind.
            await redis.shutdown()
            redisServer.stop()
            throw error
        }
    }

    private static func start(redisServer: RedisServer, redis: RedisClient, clock: any WallClock,
                              configure: (inout ServerConfiguration) -> Void) async throws -> TestWorker {
        try await redis.waitUntilConnected(timeout: .seconds(15))  // generous: the suites share two cores
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.auth.issuer = "https://baton.test"
        configuration.adminToken = adminToken
        configure(&configuration)
        let logs = LogRecorder()
        let logger = Logger(label: "baton-test") { _ in logs }
        let secret = try MasterSecret.generate()
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = try await BatonApplication.build(configuration: configuration, stores: .redis(redis), masterSecret: secret,
                                                   logger: logger, clock: clock) { port in portContinuation.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let running = Task { try await group.run() }
        var ports = portStream.makeAsyncIterator()
        guard let port = await ports.next() else { throw LocalServerError("the worker did not start") }
        return TestWorker(redisServer: redisServer, redis: redis, port: port, masterSecret: secret, logs: logs,
                          group: group, running: running)
    }

    /// Stops the worker, its Redis client and the redis-server.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        await redis.shutdown()
        redisServer.stop()
    }

    // MARK: HTTP

    func get(_ path: String, headers: [(String, String)] = []) async throws -> LoopbackHTTPResponse {
        try await LoopbackHTTPClient.send("GET", port: port, path: path, headers: headers)
    }

    func post(_ path: String, form: [String: String], headers: [(String, String)] = []) async throws -> LoopbackHTTPResponse {
        try await LoopbackHTTPClient.send("POST", port: port, path: path,
                                      headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers,
                                      body: Array(Self.formEncode(form).utf8))
    }

    func postJSON(_ path: String, _ json: String, headers: [(String, String)] = []) async throws -> LoopbackHTTPResponse {
        try await LoopbackHTTPClient.send("POST", port: port, path: path,
                                      headers: [("Content-Type", "application/json")] + headers, body: Array(json.utf8))
    }

    func admin(_ method: String, _ path: String, json: String? = nil) async throws -> LoopbackHTTPResponse {
        var headers = [("Authorization", "Bearer \(Self.adminToken)")]
        if json != nil { headers.append(("Content-Type", "application/json")) }
        return try await LoopbackHTTPClient.send(method, port: port, path: path, headers: headers, body: Array((json ?? "").utf8))
    }

    static func formEncode(_ form: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return form.sorted { $0.key < $1.key }
            .map { "\($0.key.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    static func basic(_ id: String, _ secret: String) -> (String, String) {
        ("Authorization", "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString())
    }

    // MARK: Setup helpers

    /// Creates a client through the admin API; returns its secret (nil for public clients).
    @discardableResult
    func createClient(_ id: String, json extra: String = "") async throws -> String? {
        let body = #"{"client_id":"\#(id)"\#(extra.isEmpty ? "" : "," + extra)}"#
        var busy = false
        var response = try await retryingBusyStore(noticing: &busy) { try await admin("POST", "/admin/clients", json: body) }
        if busy && response.status == 409 {
            // A write answered 503 (the store too slow for the timeout) landed after all: start over.
            _ = try await retryingBusyStore { try await admin("DELETE", "/admin/clients/\(id)") }
            response = try await retryingBusyStore { try await admin("POST", "/admin/clients", json: body) }
        }
        guard response.status == 201, let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw LocalServerError("creating client \(id) failed: \(response.status) \(response.text)")
        }
        return object["client_secret"] as? String
    }

    /// A login backend and a public app client, ready for sessions.
    func standardClients(appPolicy: String = "") async throws -> StandardClients {
        let loginSecret = try await createClient("login", json: #""permissions":["sessions"]"#)!
        try await createClient("app", json: #""public":true,"allowed_scopes":["read","write"]"# + (appPolicy.isEmpty ? "" : "," + appPolicy))
        return StandardClients(loginSecret: loginSecret)
    }

    /// Creates a session for `subject` on `client`; returns the token response's members.
    func createSession(_ clients: StandardClients, subject: String = "alice", client: String = "app",
                       scope: String? = nil) async throws -> [String: Any] {
        var body = #"{"sub":"\#(subject)","client_id":"\#(client)""#
        if let scope { body += #","scope":"\#(scope)""# }
        body += "}"
        let response = try await retryingBusyStore {
            try await postJSON("/v1/sessions", body, headers: [Self.basic("login", clients.loginSecret)])
        }
        guard response.status == 201, let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw LocalServerError("creating a session failed: \(response.status) \(response.text)")
        }
        return object
    }

    /// Runs a setup request again (every 200 ms, for up to 10 s) while it answers 503: Redis slow to
    /// answer on a machine the whole suite loads at once, which a login backend would retry too.
    private func retryingBusyStore(_ request: () async throws -> LoopbackHTTPResponse) async throws -> LoopbackHTTPResponse {
        var busy = false
        return try await retryingBusyStore(noticing: &busy, request)
    }

    /// `retryingBusyStore`, setting `busy` when a 503 was retried.
    private func retryingBusyStore(noticing busy: inout Bool,
                                   _ request: () async throws -> LoopbackHTTPResponse) async throws -> LoopbackHTTPResponse {
        var response = try await request()
        busy = busy || response.status == 503
        // With the short Redis timeouts some tests set, a fresh-clone CI run's loaded machine
        // answered 503 three times in a row.
        for _ in 0..<50 where response.status == 503 {
            try await Task.sleep(for: .milliseconds(200))
            response = try await request()
        }
        return response
    }

    /// Presents a refresh token as the public `app` client (or another client).
    func refresh(_ token: String, client: String = "app", extra: [String: String] = [:]) async throws -> LoopbackHTTPResponse {
        var form = ["grant_type": "refresh_token", "refresh_token": token, "client_id": client]
        form.merge(extra) { $1 }
        return try await post("/oauth/token", form: form)
    }
}

/// The clients `standardClients()` creates.
struct StandardClients {
    var loginSecret: String
}

extension LoopbackHTTPResponse {
    /// The body as a JSON object (empty if it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:]
    }

    /// The `error` member of an error body.
    var error: String? { json["error"] as? String }
}

/// Runs `body` with a fresh worker and stops it afterwards.
func withWorker(redisTimeout: Duration = .seconds(2), appendOnly: Bool = false, clock: any WallClock = SystemClock(),
                configure: (inout ServerConfiguration) -> Void = { _ in },
                _ body: (TestWorker) async throws -> Void) async throws {
    let worker = try await TestWorker.start(redisTimeout: redisTimeout, appendOnly: appendOnly, clock: clock, configure: configure)
    do {
        try await body(worker)
    } catch {
        await worker.stop()
        throw error
    }
    await worker.stop()
}
