import BatonServer
import BatonLocalServers
import Foundation
import Testing

/// The topology of docker/compose.yaml as plain processes: nginx running `docker/nginx.conf` in
/// front of three `baton serve` workers on one redis-server. Refreshes reach every worker, and
/// when one is killed with SIGKILL every session keeps refreshing.
@Suite(.serialized) struct NginxTopologyTests {
    private struct Chain: Sendable {
        var token: String
        var workers: [String] = []
        var retries = 0
        var refused = 0
    }

    /// Refreshes `chain` once through nginx; a request nginx could not deliver (connection lost,
    /// 502, 503) is sent again with the same token, which is safe (invariant 3).
    private func refresh(_ chain: inout Chain, port: Int) async {
        while chain.retries < 20 {
            let response: LoopbackHTTPResponse
            do {
                response = try await LoopbackHTTPClient.send(
                    "POST", port: port, path: "/oauth/token", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                    body: Array("grant_type=refresh_token&client_id=app&refresh_token=\(chain.token)".utf8))
            } catch {
                chain.retries += 1
                continue
            }
            if [502, 503].contains(response.status) {
                chain.retries += 1
                continue
            }
            guard response.status == 200, let next = response.json["refresh_token"] as? String else { break }
            chain.token = next
            chain.workers.append(response.headers["baton-worker"] ?? "")
            return
        }
        chain.refused += 1
    }

    @Test func refreshesReachEveryWorkerAndSurviveAKilledOne() async throws {
        try await BatonServeProcesses.with(count: 3) { cluster in
            let nginx = try await NginxProcess.start(workerPorts: cluster.workers.map(\.port))
            do {
                try await exercise(cluster, nginx)
            } catch {
                await nginx.stop()
                throw error
            }
            await nginx.stop()
        }
    }

    private func exercise(_ cluster: BatonServeProcesses, _ nginx: NginxServer) async throws {
        let secret = try #require(try await cluster.cli(["clients", "add", "login", "--permission", "sessions"]).output
            .split(separator: "\n").first { $0.hasPrefix("client_secret:") }?.split(separator: " ")[1])
        _ = try await cluster.cli(["clients", "add", "app", "--public"])
        let auth = ("Authorization", "Basic " + Data("login:\(secret)".utf8).base64EncodedString())
        var chains: [Chain] = []
        for user in 0..<5 {
            let session = try await LoopbackHTTPClient.send(
                "POST", port: nginx.port, path: "/v1/sessions", headers: [("Content-Type", "application/json"), auth],
                body: Array(#"{"sub":"user-\#(user)","client_id":"app"}"#.utf8))
            #expect(session.status == 201, "\(session.text)")
            chains.append(Chain(token: try #require(session.json["refresh_token"] as? String)))
        }

        // 100 refreshes, 20 per chain, round robin over the chains.
        for round in 0..<100 { await refresh(&chains[round % chains.count], port: nginx.port) }
        let before = chains.flatMap(\.workers)
        #expect(before.count == 100)
        #expect(chains.allSatisfy { $0.retries == 0 && $0.refused == 0 })
        #expect(Set(before) == Set(cluster.workers.map { String($0.process.pid) }))

        // 50 more, the five chains concurrently; after its second refresh the first chain kills a
        // worker with SIGKILL while the others are refreshing.
        let victim = cluster.workers[0].process
        let survivors = try await withThrowingTaskGroup(of: Chain.self) { group in
            for (index, chain) in chains.enumerated() {
                group.addTask {
                    var chain = Chain(token: chain.token)
                    for round in 0..<10 {
                        await refresh(&chain, port: nginx.port)
                        if index == 0 && round == 1 { victim.signal(SIGKILL) }
                    }
                    await refresh(&chain, port: nginx.port)  // and each chain still refreshes at the end
                    return chain
                }
            }
            return try await group.reduce(into: [Chain]()) { $0.append($1) }
        }
        #expect(await victim.waitForExit() != 0)
        let after = survivors.flatMap(\.workers)
        // nginx's access log names every worker it tried ("upstream=A, B"); its error log says how
        // many requests had reached the killed worker when it died.
        let log = try String(contentsOfFile: nginx.outputPath, encoding: .utf8).split(separator: "\n")
        let passedOn = log.filter { $0.contains("\"POST /oauth/token") && $0.contains("upstream_status=") && $0.contains(", ") }.count
        let midRequest = log.filter { $0.contains("while reading response header from upstream") }.count
        print("""
            nginx topology: 100 refreshes from \(Set(before).count) workers; after SIGKILL of one: \(after.count) refreshes, \
            \(passedOn) passed on by nginx to another worker, \(midRequest) of them after reaching the killed one, \
            \(survivors.map(\.retries).reduce(0, +)) retried by the client, chains lost \(survivors.map(\.refused).reduce(0, +))
            """)
        #expect(after.count == 55)
        #expect(survivors.allSatisfy { $0.refused == 0 })
        #expect(survivors.allSatisfy { $0.retries == 0 }, "nginx passes every refresh on (non_idempotent), none fails")
        #expect(Set(after.suffix(5)).isSubset(of: Set(cluster.workers.dropFirst().map { String($0.process.pid) })))
    }
}
