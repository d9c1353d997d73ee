import BatonCrypto
import BatonLoad
import BatonSystem
import BatonTesting
import Foundation

/// The package root, found from this file.
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A real `baton serve` (the debug build, or `$BATON_BINARY`) on a free port with a redis-server
/// from the fixture, a master secret and an admin token; and the `baton-load` binary to run at it.
final class BatonServeFixture: Sendable {
    static let batonBinary = ProcessInfo.processInfo.environment["BATON_BINARY"] ?? packageRoot.appendingPathComponent(".build/debug/baton").path
    static let loadBinary = ProcessInfo.processInfo.environment["BATON_LOAD_BINARY"]
        ?? packageRoot.appendingPathComponent(".build/debug/baton-load").path

    let redis: RedisServer
    let port: Int
    let process: ChildProcess
    let directory: String
    let adminToken: String

    var url: String { "http://127.0.0.1:\(port)" }

    private init(redis: RedisServer, port: Int, process: ChildProcess, directory: String, adminToken: String) {
        self.redis = redis
        self.port = port
        self.process = process
        self.directory = directory
        self.adminToken = adminToken
    }

    /// Starts Redis and one worker, and waits until the worker is ready.
    static func start() async throws -> BatonServeFixture {
        let redis = try await RedisServer.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-load-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // In a file: a base64 value that starts with "/" would be taken for a path.
        let secretFile = directory + "/master.secret"
        guard FileManager.default.createFile(atPath: secretFile, contents: Data(Data(try Random.bytes(count: 32)).base64EncodedString().utf8),
                                             attributes: [.posixPermissions: 0o600])
        else { throw FixtureError("cannot write \(secretFile)") }
        let adminToken = "admin-" + Base64URL.encodeToString(try Random.bytes(count: 24))   // never starts with "-"
        let port = try freeLoopbackPort()
        let log = directory + "/serve.log"
        let process = try ChildProcess.spawn(batonBinary, [
            "serve", "--port", String(port), "--redis", redis.url, "--master-secret", secretFile, "--admin-token", adminToken,
            "--data-dir", directory, "--log-level", "warning",
        ], outputPath: log)
        let fixture = BatonServeFixture(redis: redis, port: port, process: process, directory: directory, adminToken: adminToken)
        for _ in 0..<500 {
            guard process.isRunning else {
                let status = ChildProcess.exitCode(await process.waitForExit())
                let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                await fixture.stop()
                throw FixtureError("baton serve exited at start with status \(status): \(output)")
            }
            if let ready = try? await HTTPTestClient.send("GET", port: port, path: "/readyz", timeout: .seconds(1)), ready.status == 200 {
                return fixture
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        await fixture.stop()
        throw FixtureError("baton serve did not become ready")
    }

    /// Stops the worker (SIGTERM, then SIGKILL) and Redis.
    func stop() async {
        process.signal(SIGTERM)
        for _ in 0..<300 where process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        process.signal(SIGKILL)
        await process.waitForExit()
        redis.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `body` with a started fixture and stops it afterwards.
    static func with(_ body: (BatonServeFixture) async throws -> Void) async throws {
        let fixture = try await start()
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

    /// Arguments that point `baton-load run` at this worker.
    func runArguments(_ extra: [String]) -> [String] {
        ["run", "--url", url, "--admin-token", adminToken, "--no-progress"] + extra
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
