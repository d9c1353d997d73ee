import BatonLoad
import BatonSystem
import BatonLocalServers
import Foundation

/// The `baton-load` binary this package built (or `$BATON_LOAD_BINARY`).
let loadBinary = builtExecutable("baton-load", overriddenBy: "BATON_LOAD_BINARY")

/// What the load-test tests ask of the shared workers fixture: admin calls on the first worker and
/// `baton-load` runs pointed at every worker.
extension BatonServeProcesses {
    /// Starts `workers` workers at `--log-level warning` (a load test's setting) for `body`.
    static func withLoadTarget(workers: Int = 1, _ body: (BatonServeProcesses) async throws -> Void) async throws {
        try await with(count: workers, extra: ["--log-level", "warning"], body)
    }

    /// The first worker's port.
    var port: Int { ports[0] }
    /// The first worker's base URL.
    var url: String { "http://127.0.0.1:\(port)" }

    /// The result of one `baton-load` run.
    struct LoadRun {
        var status: Int32
        var output: String
        var report: RunReport?
    }

    /// The number of live sessions of `subject`, through the admin API.
    func sessionCount(of subject: String) async throws -> Int {
        let response = try await admin(0, "GET", "/admin/users/\(subject)/sessions")
        return (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [Any])?.count ?? 0
    }

    /// Logs `subject` out everywhere, through the admin API; returns the status.
    func revokeSessions(of subject: String) async throws -> Int {
        try await admin(0, "DELETE", "/admin/users/\(subject)/sessions").status
    }

    /// Arguments that point `baton-load run` at every worker.
    func runArguments(_ extra: [String]) -> [String] {
        ["run"] + ports.flatMap { ["--url", "http://127.0.0.1:\($0)"] } + ["--admin-token", adminToken, "--no-progress"] + extra
    }

    /// Starts `baton-load` with `arguments` plus `--json`; `finish` waits for it and reads the report.
    func startLoad(_ arguments: [String]) throws -> (child: ChildProcess, finish: @Sendable () async -> LoadRun) {
        let json = directory + "/report-\(UUID().uuidString.prefix(8)).json"
        let output = json + ".log"
        let child = try ChildProcess.spawn(loadBinary, arguments + ["--json", json], outputPath: output)
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
