import BatonLocalServers
import Foundation
import Testing

/// DESIGN.md §7: with Redis away, token requests get a fast 503 `temporarily_unavailable` with
/// `Retry-After`; when Redis is back, the same worker serves again by itself.
@Suite struct RedisOutageTests {
    @Test func redisDownMeansFast503AndRecoveryWithoutRestart() async throws {
        try await withWorker(redisTimeout: .milliseconds(500), appendOnly: true) { worker in
            let clients = try await worker.standardClients()
            let token = try await worker.createSession(clients)["refresh_token"] as! String
            worker.redisServer.kill()

            let started = ContinuousClock.now
            let down = try await worker.refresh(token)
            let elapsed = ContinuousClock.now - started
            #expect(down.status == 503 && down.error == "temporarily_unavailable")
            #expect(down.headers["retry-after"] == "1")
            // Within the 500 ms command timeout plus scheduling on a machine the whole suite loads
            // at once (796 ms and, in a fresh-clone CI run, 1,588 ms seen there); a hang would take
            // the client's 10 s, which is what this bound tells apart.
            #expect(elapsed < .seconds(5), "503 took \(elapsed)")
            #expect(try await worker.get("/healthz").status == 200)
            #expect(try await worker.get("/readyz").status == 503)
            #expect(try await worker.get("/.well-known/jwks.json").status == 200)  // served from the loaded keyset

            try await worker.redisServer.restart()
            #expect(try await refreshesAgain(worker, token))
            // Ready again (its own ping has the 500 ms timeout too, which a loaded machine can miss once).
            try await poll("/readyz to answer 200", timeout: .seconds(10)) { try await worker.get("/readyz").status == 200 }
        }
    }

    @Test func aFrozenRedisMeans503WithinTheTimeout() async throws {
        try await withWorker(redisTimeout: .milliseconds(300)) { worker in
            let clients = try await worker.standardClients()
            let token = try await worker.createSession(clients)["refresh_token"] as! String
            worker.redisServer.pause()
            let started = ContinuousClock.now
            let frozen = try await worker.refresh(token)
            let elapsed = ContinuousClock.now - started
            worker.redisServer.resume()
            #expect(frozen.status == 503)
            // The 300 ms command timeout plus scheduling on a machine the whole suite loads at
            // once (1.06 s and 2.14 s seen there); a hang would last until Redis resumes, after the
            // client's 10 s, which is what this bound tells apart.
            #expect(elapsed < .seconds(5), "503 took \(elapsed)")
            #expect(try await refreshesAgain(worker, token))
        }
    }

    /// Whether `token` refreshes again within 3 s (the worker reconnects by itself).
    private func refreshesAgain(_ worker: TestWorker, _ token: String) async throws -> Bool {
        for _ in 0..<300 {
            if try await worker.refresh(token).status == 200 { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}
