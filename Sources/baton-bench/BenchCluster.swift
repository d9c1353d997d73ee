import BatonRedis
import BatonSystem
import BatonLocalServers
import Foundation

/// `baton cluster` on its embedded Redis (AOF on) in a fresh data directory, as `make run` starts
/// it: the deployment `make bench` measures.
final class BenchCluster: Sendable {
    let port: Int
    let dataDirectory: String
    let supervisor: ChildProcess

    private init(port: Int, dataDirectory: String, supervisor: ChildProcess) {
        self.port = port
        self.dataDirectory = dataDirectory
        self.supervisor = supervisor
    }

    /// Starts `workers` workers (log level warning unless told: one info line per request is a
    /// cost of its own, measured separately) and waits until every one answers `/readyz`.
    static func start(baton: String, workers: Int, directory: String, logLevel: String = "warning") async throws -> BenchCluster {
        let port = try freeLoopbackPort()
        let dataDirectory = directory + "/data"
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let supervisor = try ChildProcess.spawn(baton, [
            "cluster", "--workers", String(workers), "--port", String(port), "--data-dir", dataDirectory,
            "--log-level", logLevel,
        ], outputPath: directory + "/cluster.log")
        let cluster = BenchCluster(port: port, dataDirectory: dataDirectory, supervisor: supervisor)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard supervisor.isRunning else { throw LocalServerError("baton cluster exited at start; see \(directory)/cluster.log") }
            if cluster.workerPIDs.count == workers,
               let ready = try? await LoopbackHTTPClient.send("GET", port: port, path: "/readyz", timeout: .seconds(1)),
               ready.status == 200 {
                return cluster
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        await cluster.stop()
        throw LocalServerError("baton cluster did not become ready within 60 s; see \(directory)/cluster.log")
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var adminTokenFile: String { dataDirectory + "/admin.token" }

    /// The worker processes (`baton serve`).
    var workerPIDs: [pid_t] { children(named: "baton") }

    /// The embedded redis-server.
    var redisPID: pid_t? { children(named: "redis-server").first }

    private func children(named command: String) -> [pid_t] {
        ProcessStat.children(of: supervisor.pid).filter { (try? ProcessStat(pid: $0))?.command == command }.sorted()
    }

    /// A client of the embedded Redis (its unix socket).
    func redis() async throws -> RedisClient {
        let client = RedisClient(configuration: try RedisConfiguration(url: "unix://\(dataDirectory)/redis.sock"))
        try await client.waitUntilConnected()
        return client
    }

    /// Stops every one of `clusters`.
    static func stop(_ clusters: [BenchCluster]) async {
        for cluster in clusters { await cluster.stop() }
    }

    /// SIGTERM: the supervisor drains the workers, then stops Redis.
    func stop() async {
        supervisor.signal(SIGTERM)
        _ = await supervisor.waitForExit()
    }
}
