import BatonSystem
import Foundation

/// The package's root directory (this file is `Sources/BatonLocalServers/…`).
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// An executable this package built: `$variable` when set, else the debug build's `name`.
public func builtExecutable(_ name: String, overriddenBy variable: String) -> String {
    ProcessInfo.processInfo.environment[variable] ?? packageRoot + "/.build/debug/" + name
}

/// The `baton` executable this package built (or `$BATON_BINARY`).
public let batonBinary = builtExecutable("baton", overriddenBy: "BATON_BINARY")

/// Waits (up to `timeout`) until the Baton process `child` answers `GET /readyz` on `port` with
/// 200; throws with its log at `logPath` if it exits first.
public func waitUntilReady(port: Int, _ child: ChildProcess, logPath: String, timeout: Duration = .seconds(20)) async throws {
    try await poll("baton on port \(port) to become ready", timeout: timeout, every: .milliseconds(20)) {
        guard child.isRunning else {
            let status = ChildProcess.exitCode(await child.waitForExit())
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw LocalServerError("baton exited at start with status \(status): \(log)")
        }
        let ready = try? await LoopbackHTTPClient.send("GET", port: port, path: "/readyz", timeout: .seconds(1))
        return ready?.status == 200
    }
}

/// `baton serve` processes on free loopback ports sharing one Redis deployment (a redis-server by
/// default, or a Redis Cluster or Sentinel deployment), a master secret and an admin token, as a
/// platform team runs workers behind a load balancer; with the `baton` CLI pointed at the same
/// Redis and secret. Stopped by pid.
///
/// ```swift
/// try await BatonServeProcesses.with(count: 3) { cluster in
///     _ = try await cluster.cli(["keys", "rotate", "--now"])
///     let clients = try await cluster.admin(0, "GET", "/admin/clients")
/// }
/// ```
public final class BatonServeProcesses: Sendable {
    /// One worker: its port, process and log.
    public struct Worker: Sendable {
        public let port: Int
        public let process: ChildProcess
        public let logPath: String
    }

    /// The shared Redis deployment.
    public let deployment: RedisDeploymentServers
    /// Its first data server (the redis-server of a standalone deployment).
    public var redis: RedisServer { deployment.servers[0] }
    /// The workers' data directory, which also holds their logs.
    public let directory: String
    /// The workers, in start order.
    public let workers: [Worker]
    /// The master secret every worker and the CLI share (base64).
    public let masterSecret: String
    /// The workers' admin bearer token.
    public let adminToken: String
    /// The `baton` executable they run.
    public let binary: String

    private init(deployment: RedisDeploymentServers, directory: String, workers: [Worker], masterSecret: String,
                 adminToken: String, binary: String) {
        self.deployment = deployment
        self.directory = directory
        self.workers = workers
        self.masterSecret = masterSecret
        self.adminToken = adminToken
        self.binary = binary
    }

    /// The workers' ports.
    public var ports: [Int] { workers.map(\.port) }

    /// Starts a Redis deployment of `redis` kind (a standalone server append-only if asked, with
    /// `redisArguments`) and `count` workers of `binary` on it with a fresh master secret and admin
    /// token and the issuer `https://baton.test` (plus `extra`, and `environment` added to theirs),
    /// and waits until every worker is ready. With a `launcher` (such as valgrind and its options)
    /// each worker runs under it, given up to `readyTimeout` to start.
    public static func start(count: Int, binary: String = batonBinary, extra: [String] = [], environment: [String: String] = [:],
                             launcher: [String] = [], readyTimeout: Duration = .seconds(20),
                             appendOnly: Bool = false, redisArguments: [String] = [],
                             redis kind: RedisDeploymentServers.Kind = .standalone) async throws
        -> BatonServeProcesses {
        let masterSecret = Data(randomBytes(32)).base64EncodedString()  // standard base64 never starts with "-"
        let adminToken = "admin-" + Data(randomBytes(24)).base64EncodedString()
        let arguments = ["--master-secret", masterSecret, "--admin-token", adminToken, "--issuer", "https://baton.test"] + extra
        let deployment = try await RedisDeploymentServers.start(kind, appendOnly: appendOnly, extraArguments: redisArguments)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-workers-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var workers: [Worker] = []
        do {
            for index in 0..<count {
                let port = try freeLoopbackPort()
                let log = "\(directory)/worker-\(index).log"
                let command = launcher + [binary, "serve", "--port", String(port), "--redis", deployment.url, "--data-dir", directory]
                let process = try ChildProcess.spawn(command[0], Array(command.dropFirst()) + arguments, environment: environment,
                                                     outputPath: log)
                workers.append(Worker(port: port, process: process, logPath: log))
            }
        } catch {
            // A worker that cannot be started (a missing executable) leaves nothing running behind.
            for worker in workers { await worker.process.terminate(gracePeriod: .seconds(5)) }
            deployment.stop()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        let processes = BatonServeProcesses(deployment: deployment, directory: directory, workers: workers, masterSecret: masterSecret,
                                            adminToken: adminToken, binary: binary)
        do {
            for worker in workers {
                try await waitUntilReady(port: worker.port, worker.process, logPath: worker.logPath, timeout: readyTimeout)
            }
        } catch {
            await processes.stop()
            throw error
        }
        return processes
    }

    /// Runs `body` with started workers and stops them afterwards.
    public static func with(count: Int = 1, binary: String = batonBinary, extra: [String] = [], appendOnly: Bool = false,
                            redisArguments: [String] = [], redis kind: RedisDeploymentServers.Kind = .standalone,
                            _ body: (BatonServeProcesses) async throws -> Void) async throws {
        let processes = try await start(count: count, binary: binary, extra: extra, appendOnly: appendOnly,
                                        redisArguments: redisArguments, redis: kind)
        do {
            try await body(processes)
        } catch {
            await processes.stop()
            throw error
        }
        await processes.stop()
    }

    /// Stops every worker (SIGTERM, after 5 s SIGKILL) and the Redis deployment, and removes the directory.
    public func stop() async {
        for worker in workers { worker.process.signal(SIGTERM) }  // all drain at once
        for worker in workers { await worker.process.terminate(gracePeriod: .seconds(5)) }
        deployment.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a `baton` management command against these workers' Redis and secret.
    public func cli(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await runToCompletion(binary, arguments + ["--redis", deployment.url, "--master-secret", masterSecret])
    }

    /// Sends an admin API request to worker `index`.
    public func admin(_ index: Int, _ method: String, _ path: String, json: String? = nil) async throws -> LoopbackHTTPResponse {
        var headers = [("Authorization", "Bearer \(adminToken)")]
        if json != nil { headers.append(("Content-Type", "application/json")) }
        return try await LoopbackHTTPClient.send(method, port: workers[index].port, path: path, headers: headers,
                                                 body: Array((json ?? "").utf8))
    }
}

/// `count` bytes from the system's cryptographic generator.
private func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
}
