import BatonCrypto
import BatonLoad
import BatonSystem
import BatonLocalServers
import Foundation

/// Real `baton serve` workers (the debug build, or `$BATON_BINARY`) sharing a redis-server from
/// the fixture, a master secret and an admin token; and the `baton-load` binary to run at them.
final class BatonServeFixture: Sendable {
    static let loadBinary = builtExecutable("baton-load", overriddenBy: "BATON_LOAD_BINARY")

    let processes: BatonServeProcesses
    let adminToken: String

    /// The workers' ports; the first one also serves the admin calls of the tests.
    var ports: [Int] { processes.workers.map(\.port) }
    /// Where the workers' logs and the runs' reports go.
    var directory: String { processes.directory }
    /// The first worker's port.
    var port: Int { ports[0] }
    /// The first worker's base URL.
    var url: String { "http://127.0.0.1:\(port)" }

    private init(processes: BatonServeProcesses, adminToken: String) {
        self.processes = processes
        self.adminToken = adminToken
    }

    /// Starts Redis and `workers` workers sharing it, and waits until every worker is ready.
    static func start(workers: Int = 1) async throws -> BatonServeFixture {
        let secret = Data(try Random.bytes(count: 32)).base64EncodedString()
        let adminToken = "admin-" + Base64URL.encodeToString(try Random.bytes(count: 24))   // never starts with "-"
        let processes = try await BatonServeProcesses.start(
            count: workers, binary: builtExecutable("baton", overriddenBy: "BATON_BINARY"),
            arguments: ["--master-secret", secret, "--admin-token", adminToken, "--log-level", "warning"])
        return BatonServeFixture(processes: processes, adminToken: adminToken)
    }

    /// Stops the workers and Redis.
    func stop() async {
        await processes.stop()
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
        let response = try await LoopbackHTTPClient.send("GET", port: port, path: "/admin/users/\(subject)/sessions",
                                                     headers: [("Authorization", "Bearer \(adminToken)")])
        return (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [Any])?.count ?? 0
    }

    /// Logs `subject` out everywhere, through the admin API; returns the status.
    func revokeSessions(of subject: String) async throws -> Int {
        try await LoopbackHTTPClient.send("DELETE", port: port, path: "/admin/users/\(subject)/sessions",
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
