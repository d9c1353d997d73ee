import BatonSystem
import BatonServer
import BatonLocalServers
import Foundation
import Testing

/// `baton cluster` as a real process tree: workers share one port, a killed worker is replaced
/// while clients keep refreshing (retries are safe: invariant 3), SIGTERM drains everything.
@Suite(.serialized) struct ClusterProcessTests {
    private func post(_ port: Int, _ path: String, form: String) async throws -> LoopbackHTTPResponse {
        try await LoopbackHTTPClient.send("POST", port: port, path: path,
                                      headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8))
    }

    @Test func workersShareThePortSurviveAKillAndDrainOnSIGTERM() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("baton-cluster-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: data) }
        let port = try freeLoopbackPort()
        let supervisor = try ChildProcess.spawn(batonBinary, ["cluster", "--workers", "3", "--port", String(port), "--data-dir", data],
                                                outputPath: data + "/cluster.log")
        do {
            try await killAWorkerUnderLoad(port: port, data: data, supervisor: supervisor)
        } catch {
            // Whatever failed, the process tree must not outlive the test (nor keep its descriptors).
            supervisor.signal(SIGTERM)
            _ = await supervisor.waitForExit()
            throw error
        }
    }

    private func killAWorkerUnderLoad(port: Int, data: String, supervisor: ChildProcess) async throws {
        try await waitUntilReady(port: port, supervisor, logPath: data + "/cluster.log")

        var seen = Set<String>()
        // Workers start one after another; under the whole suite one took over 10 s (a fresh-clone CI run).
        try await poll("every worker to answer on the shared port", timeout: .seconds(30), every: .milliseconds(5)) {
            seen.insert(try await LoopbackHTTPClient.send("GET", port: port, path: "/healthz").headers["baton-worker"] ?? "")
            return seen.count == 3
        }
        #expect(seen == ["0", "1", "2"])

        let login = try await runToCompletion(batonBinary, ["clients", "add", "login", "--permission", "sessions", "--data-dir", data])
        let secret = try #require(login.output.split(separator: "\n").first { $0.hasPrefix("client_secret:") }?.split(separator: " ")[1])
        _ = try await runToCompletion(batonBinary, ["clients", "add", "app", "--public", "--data-dir", data])
        let auth = ("Authorization", "Basic " + Data("login:\(secret)".utf8).base64EncodedString())

        // Five users, logged in first (a login backend does not race a kill), refresh their chains
        // while one worker is killed with SIGKILL.
        var sessions: [String] = []
        for user in 0..<5 {
            let session = try await LoopbackHTTPClient.send(
                "POST", port: port, path: "/v1/sessions", headers: [("Content-Type", "application/json"), auth],
                body: Array(#"{"sub":"user-\#(user)","client_id":"app"}"#.utf8))
            sessions.append(try #require(session.json["refresh_token"] as? String, "\(session.text)"))
        }
        let stop = ContinuousClock.now + .seconds(3)
        let killer = Task {
            try await Task.sleep(for: .seconds(1))
            let pids = try String(contentsOfFile: data + "/cluster.log", encoding: .utf8)
                .split(separator: "\n").filter { $0.contains("worker started") }
                .compactMap { $0.split(separator: " ").first { $0.hasPrefix("pid=") }?.dropFirst(4) }
            if let victim = pids.first.flatMap({ Int32($0) }) { kill(victim, SIGKILL) }
        }
        let outcomes = try await withThrowingTaskGroup(of: (refreshes: Int, retries: Int, refused: Int).self) { group in
            for first in sessions {
                group.addTask {
                    var token = first
                    var refreshes = 0, retries = 0, refused = 0
                    while ContinuousClock.now < stop {
                        let response: LoopbackHTTPResponse
                        do {
                            response = try await post(port, "/oauth/token", form: "grant_type=refresh_token&client_id=app&refresh_token=\(token)")
                        } catch {
                            retries += 1  // the connection died with its worker: send the same token again
                            continue
                        }
                        if response.status == 200, let next = response.json["refresh_token"] as? String {
                            token = next
                            refreshes += 1
                        } else if response.status == 503 {
                            retries += 1
                        } else {
                            refused += 1
                            break
                        }
                    }
                    let last = try await post(port, "/oauth/token", form: "grant_type=refresh_token&client_id=app&refresh_token=\(token)")
                    if last.status != 200 { refused += 1 }
                    return (refreshes, retries, refused)
                }
            }
            return try await group.reduce(into: [(refreshes: Int, retries: Int, refused: Int)]()) { $0.append($1) }
        }
        try await killer.value
        let refreshes = outcomes.map(\.refreshes).reduce(0, +)
        print("cluster kill -9 under load: \(refreshes) refreshes, \(outcomes.map(\.retries).reduce(0, +)) retried requests, chains lost \(outcomes.map(\.refused).reduce(0, +))")
        #expect(outcomes.allSatisfy { $0.refused == 0 })
        #expect(refreshes > 10)  // the chains kept moving (49 in 3 s once, with the whole suite running)
        // The supervisor's lines reach the file from its log writer thread, a few milliseconds later.
        try await poll("the supervisor to log the restart", timeout: .seconds(5)) {
            ((try? String(contentsOfFile: data + "/cluster.log", encoding: .utf8)) ?? "").contains("worker exited; restarting")
        }

        supervisor.signal(SIGTERM)
        #expect(await supervisor.waitForExit() == 0)
        let leftovers = try await runToCompletion("/usr/bin/pgrep", ["-f", data])
        #expect(leftovers.output.isEmpty, "\(leftovers.output)")
    }

    @Test func aRotatedTokenReplayedOnAnotherWorkerRevokesTheFamilyEverywhere() async throws {
        try await BatonServeProcesses.with(count: 3) { cluster in
            let secret = try #require(try await cluster.cli(["clients", "add", "login", "--permission", "sessions"]).output
                .split(separator: "\n").first { $0.hasPrefix("client_secret:") }?.split(separator: " ")[1])
            _ = try await cluster.cli(["clients", "add", "app", "--public", "--grace-period", "0"])
            let ports = cluster.workers.map(\.port)
            let session = try await LoopbackHTTPClient.send(
                "POST", port: ports[0], path: "/v1/sessions",
                headers: [("Content-Type", "application/json"), ("Authorization", "Basic " + Data("login:\(secret)".utf8).base64EncodedString())],
                body: Array(#"{"sub":"alice","client_id":"app"}"#.utf8))
            let first = try #require(session.json["refresh_token"] as? String)
            let rotated = try await post(ports[1], "/oauth/token", form: "grant_type=refresh_token&client_id=app&refresh_token=\(first)")
            let second = try #require(rotated.json["refresh_token"] as? String)
            let replay = try await post(ports[2], "/oauth/token", form: "grant_type=refresh_token&client_id=app&refresh_token=\(first)")
            #expect(replay.status == 400 && replay.json["error"] as? String == "invalid_grant")
            for port in ports {
                let refused = try await post(port, "/oauth/token", form: "grant_type=refresh_token&client_id=app&refresh_token=\(second)")
                #expect(refused.status == 400)
            }
        }
    }
}
