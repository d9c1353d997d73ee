import BatonCrypto
import BatonLoad
import BatonSystem
import BatonTesting
import Foundation

/// The package root, found from this file.
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Real `baton serve` workers (the debug build, or `$BATON_BINARY`) on free ports sharing a
/// redis-server from the fixture, a master secret and an admin token; and the `baton-load` binary
/// to run at them.
final class BatonServeFixture: Sendable {
    static let batonBinary = ProcessInfo.processInfo.environment["BATON_BINARY"] ?? packageRoot.appendingPathComponent(".build/debug/baton").path
    static let loadBinary = ProcessInfo.processInfo.environment["BATON_LOAD_BINARY"]
        ?? packageRoot.appendingPathComponent(".build/debug/baton-load").path

    let redis: RedisServer
    /// The workers' ports; the first one also serves the admin calls of the tests.
    let ports: [Int]
    let processes: [ChildProcess]
    let directory: String
    let adminToken: String

    /// The first worker's port.
    var port: Int { ports[0] }
    /// The first worker's base URL.
    var url: String { "http://127.0.0.1:\(port)" }

    private init(redis: RedisServer, ports: [Int], processes: [ChildProcess], directory: String, adminToken: String) {
        self.redis = redis
        self.ports = ports
        self.processes = processes
        self.directory = directory
        self.adminToken = adminToken
    }

    /// Starts Redis and `workers` workers sharing it, and waits until every worker is ready.
    static func start(workers: Int = 1) async throws -> BatonServeFixture {
        let redis = try await RedisServer.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-load-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // In a file: a base64 value that starts with "/" would be taken for a path.
        let secretFile = directory + "/master.secret"
        guard FileManager.default.createFile(atPath: secretFile, contents: Data(Data(try Random.bytes(count: 32)).base64EncodedString().utf8),
                                             attributes: [.posixPermissions: 0o600])
        else { throw FixtureError("cannot write \(secretFile)") }
        let adminToken = "admin-" + Base64URL.encodeToString(try Random.bytes(count: 24))   // never starts with "-"
        var ports: [Int] = []
        var processes: [ChildProcess] = []
        for index in 0..<workers {
            let port = try freeLoopbackPort()
            ports.append(port)
            processes.append(try ChildProcess.spawn(batonBinary, [
                "serve", "--port", String(port), "--redis", redis.url, "--master-secret", secretFile, "--admin-token", adminToken,
                "--data-dir", directory, "--log-level", "warning",
            ], outputPath: directory + "/serve-\(index).log"))
        }
        let fixture = BatonServeFixture(redis: redis, ports: ports, processes: processes, directory: directory, adminToken: adminToken)
        do {
            for index in 0..<workers { try await fixture.waitUntilReady(index) }
        } catch {
            await fixture.stop()
            throw error
        }
        return fixture
    }

    private func waitUntilReady(_ index: Int) async throws {
        for _ in 0..<500 {
            guard processes[index].isRunning else {
                let status = ChildProcess.exitCode(await processes[index].waitForExit())
                let output = (try? String(contentsOfFile: directory + "/serve-\(index).log", encoding: .utf8)) ?? ""
                throw FixtureError("baton serve exited at start with status \(status): \(output)")
            }
            if let ready = try? await HTTPTestClient.send("GET", port: ports[index], path: "/readyz", timeout: .seconds(1)),
               ready.status == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw FixtureError("baton serve did not become ready")
    }

    /// Stops the workers (SIGTERM, then SIGKILL) and Redis.
    func stop() async {
        for process in processes { process.signal(SIGTERM) }
        for process in processes {
            for _ in 0..<300 where process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
            process.signal(SIGKILL)
            await process.waitForExit()
        }
        redis.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `body` with a started fixture and stops it afterwards.
    static func with(workers: Int = 1, _ body: (BatonServeFixture) async throws -> Void) async throws {
        let fixture = try await start(workers: workers)
        do {
            try await body(fixture)
        } catch {
            await fixture.stop()
            throw error
        }
        await fixture.stop()
    }

    /// The result of one `baton-load` run.
    struct LoadRun {
        var status: Int32
        var output: String
        var report: RunReport?
    }

    /// The number of live sessions of `subject`, through the admin API.
    func sessionCount(of subject: String) async throws -> Int {
        let response = try await HTTPTestClient.send("GET", port: port, path: "/admin/users/\(subject)/sessions",
                                                     headers: [("Authorization", "Bearer \(adminToken)")])
        return (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [Any])?.count ?? 0
    }

    /// Logs `subject` out everywhere, through the admin API; returns the status.
    func revokeSessions(of subject: String) async throws -> Int {
        try await HTTPTestClient.send("DELETE", port: port, path: "/admin/users/\(subject)/sessions",
                                      headers: [("Authorization", "Bearer \(adminToken)")]).status
    }

    /// Arguments that point `baton-load run` at every worker.
    func runArguments(_ extra: [String]) -> [String] {
        ["run"] + ports.flatMap { ["--url", "http://127.0.0.1:\($0)"] } + ["--admin-token", adminToken, "--no-progress"] + extra
    }

    /// Starts `baton-load` with `arguments` plus `--json`; `finish` waits for it and reads the report.
    func startLoad(_ arguments: [String]) throws -> (child: ChildProcess, finish: @Sendable () async -> LoadRun) {
        let json = directory + "/report-\(UUID().uuidString.prefix(8)).json"
        let output = json + ".log"
        let child = try ChildProcess.spawn(Self.loadBinary, arguments + ["--json", json], outputPath: output)
        return (child, {
            let status = ChildProcess.exitCode(await child.waitForExit())
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            let report = (try? Data(contentsOf: URL(fileURLWithPath: json))).flatMap { try? JSONDecoder().decode(RunReport.self, from: $0) }
            return LoadRun(status: status, output: text, report: report)
        })
    }

    /// Runs `baton-load` to completion.
    func load(_ arguments: [String]) async throws -> LoadRun {
        try await startLoad(arguments).finish()
    }
}

/// Why the fixture could not start.
struct FixtureError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
