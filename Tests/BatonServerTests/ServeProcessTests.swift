import BatonAuth
import BatonSystem
import BatonServer
import BatonLocalServers
import Foundation
import Testing

/// `baton serve` and the management commands as real processes: the embedded default (its own
/// redis-server, generated secrets, AOF), graceful shutdown, and refusal to run unsafely.
@Suite struct ServeProcessTests {
    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baton-serve-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs a management command to completion; returns its exit status and output.
    private func baton(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await runToCompletion(batonBinary, arguments)
    }

    private func serve(port: Int, dataDirectory: String, extra: [String] = []) throws -> ChildProcess {
        try ChildProcess.spawn(batonBinary, ["serve", "--port", String(port), "--data-dir", dataDirectory] + extra,
                               outputPath: dataDirectory + "/serve.log")
    }

    private func field(_ name: String, in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix(name + ":") }
            .map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? "" }
    }

    @Test func embeddedDefaultServesPersistsAndStopsGracefully() async throws {
        let data = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let port = try freeLoopbackPort()
        var server = try serve(port: port, dataDirectory: data)
        try await waitUntilReady(port: port, server, logPath: data + "/serve.log")

        let secretMode = try FileManager.default.attributesOfItem(atPath: data + "/master.secret")[.posixPermissions] as? Int
        #expect(secretMode == 0o600)
        let login = try await baton(["clients", "add", "login", "--permission", "sessions", "--data-dir", data])
        #expect(login.status == 0, "\(login.output)")
        let loginSecret = try #require(field("client_secret", in: login.output))
        #expect(try await baton(["clients", "add", "app", "--public", "--scope", "read", "--data-dir", data]).status == 0)
        #expect(try await baton(["clients", "list", "--data-dir", data]).output.contains("app\tpublic"))

        let auth = ("Authorization", "Basic " + Data("login:\(loginSecret)".utf8).base64EncodedString())
        let session = try await LoopbackHTTPClient.send("POST", port: port, path: "/v1/sessions",
                                                    headers: [("Content-Type", "application/json"), auth],
                                                    body: Array(#"{"sub":"alice","client_id":"app"}"#.utf8))
        #expect(session.status == 201)
        let form = "grant_type=refresh_token&client_id=app&refresh_token=" + (session.json["refresh_token"] as! String)
        let refreshed = try await LoopbackHTTPClient.send("POST", port: port, path: "/oauth/token",
                                                      headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                                      body: Array(form.utf8))
        let latest = try #require(refreshed.json["refresh_token"] as? String)

        // SIGTERM: drains, closes Redis, stops its redis-server, exits 0.
        let redisPID = try String(contentsOfFile: data + "/redis.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let stopping = ContinuousClock.now
        server.signal(SIGTERM)
        let status = await server.waitForExit()
        #expect(status == 0, "exit status \(status)")
        #expect(ContinuousClock.now - stopping < .seconds(5))
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(redisPID)"))

        // A restart on the same data directory keeps the session (AOF) and the secrets.
        server = try serve(port: port, dataDirectory: data)
        try await waitUntilReady(port: port, server, logPath: data + "/serve.log")
        let again = "grant_type=refresh_token&client_id=app&refresh_token=" + latest
        let afterRestart = try await LoopbackHTTPClient.send("POST", port: port, path: "/oauth/token",
                                                         headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                                         body: Array(again.utf8))
        #expect(afterRestart.status == 200, "\(afterRestart.text)")
        let listed = try await baton(["sessions", "list", "alice", "--data-dir", data])
        #expect(listed.status == 0 && listed.output.contains("\tapp\t"), "\(listed.output)")
        let revoked = try await baton(["sessions", "revoke", "alice", "--all", "--data-dir", data])
        #expect(revoked.output.contains("1 sessions ended"), "\(revoked.output)")
        server.signal(SIGTERM)
        #expect(await server.waitForExit() == 0)
    }

    @Test func aSharedRedisWithoutAMasterSecretIsRefused() async throws {
        let redis = try await RedisServer.start()
        defer { redis.stop() }
        let data = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try serve(port: try freeLoopbackPort(), dataDirectory: data, extra: ["--redis", redis.url])
        let status = await server.waitForExit()
        #expect(status != 0)
        let log = try String(contentsOfFile: data + "/serve.log", encoding: .utf8)
        #expect(log.contains("master-secret"), "\(log)")
    }

    @Test func badSettingsAreClearErrors() async throws {
        let port = try await baton(["serve", "--redis", "http://nope", "--master-secret", String(repeating: "A", count: 43)])
        #expect(port.status != 0 && port.output.contains("redis://, unix://, redis-cluster:// or redis-sentinel://"), "\(port.output)")
        let secret = try await baton(["serve", "--redis", "redis://127.0.0.1:1", "--master-secret", "c2hvcnQ="])
        #expect(secret.status != 0 && secret.output.contains("at least 32 bytes"), "\(secret.output)")
        let wait = try await baton(["serve", "--redis-wait-replicas", "1", "--redis-wait-timeout-ms", "500"])
        #expect(wait.status != 0 && wait.output.contains("below --redis-timeout-ms (500)"), "\(wait.output)")
        // Without --redis-wait-replicas the wait timeout is not checked against a short Redis timeout.
        let noWait = try await baton(["serve", "--redis-timeout-ms", "40", "--redis", "bogus://", "--master-secret",
                                      String(repeating: "A", count: 43)])
        #expect(noWait.status != 0 && noWait.output.contains("the scheme must be") && !noWait.output.contains("wait"), "\(noWait.output)")
        let policy = try await baton(["serve", "--grace-period=-5"])
        #expect(policy.status != 0 && policy.output.contains("grace_period"), "\(policy.output)")
    }

    /// Every command that takes `--redis` (or `BATON_REDIS`) refuses a malformed cluster or sentinel
    /// URL before it starts anything, saying what is wrong and never repeating the password.
    @Test func malformedClusterAndSentinelURLsStopEveryCommandWithoutThePassword() async throws {
        let secret = ["--master-secret", String(repeating: "A", count: 43)]
        let commands = [["serve"], ["cluster", "--workers", "1"], ["clients", "list"], ["sessions", "list", "alice"], ["keys", "list"]]
        let urls = [("redis-cluster://:hunter2@h1:99999", "port"), ("redis-sentinel://:hunter2@s1,s2", "master's name"),
                    ("rediss://:hunter2@h1", "scheme")]
        for command in commands {
            for (url, reason) in urls {
                let result = try await baton(command + ["--redis", url] + secret)
                #expect(result.status != 0 && result.output.contains(reason), "\(command) \(url): \(result.output)")
                #expect(!result.output.contains("hunter2"), "\(command) \(url): \(result.output)")
            }
        }
        let environment = try await runToCompletion("/usr/bin/env", ["BATON_REDIS=redis-sentinel://:hunter2@s1/m?db=x", batonBinary,
                                                                     "clients", "list"])
        #expect(environment.status != 0 && environment.output.contains("db must be a number"), "\(environment.output)")
        #expect(!environment.output.contains("hunter2"))
    }
}
