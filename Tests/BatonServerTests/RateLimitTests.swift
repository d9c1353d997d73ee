import BatonLocalServers
import Foundation
import Testing

/// Token-endpoint rate limits shared through Redis: per client and per source address, 429 with
/// `Retry-After`, off by default.
@Suite struct RateLimitTests {
    private func clientCredentials(_ worker: TestWorker, _ id: String, _ secret: String) async throws -> LoopbackHTTPResponse {
        try await worker.post("/oauth/token", form: ["grant_type": "client_credentials", "client_id": id, "client_secret": secret])
    }

    @Test func aClientOverItsLimitGets429WithRetryAfter() async throws {
        // A long window, so a loaded machine cannot roll it over in the middle of the test.
        try await withWorker(configure: { $0.auth.rateLimitPerClient = 5; $0.auth.rateLimitWindow = .seconds(60) }) { worker in
            let busy = try await worker.createClient("busy", json: #""grant_types":["client_credentials"]"#)!
            let quiet = try await worker.createClient("quiet", json: #""grant_types":["client_credentials"]"#)!
            var statuses: [Int] = []
            for _ in 0..<8 { statuses.append(try await clientCredentials(worker, "busy", busy).status) }
            #expect(statuses == [200, 200, 200, 200, 200, 429, 429, 429])
            let limited = try await clientCredentials(worker, "busy", busy)
            #expect(limited.status == 429 && limited.error == "too_many_requests")
            #expect((1...60).contains(Int(limited.headers["retry-after"] ?? "") ?? 0))
            #expect(try await clientCredentials(worker, "quiet", quiet).status == 200)
        }
    }

    @Test func aLimitedClientIsServedAgainAfterRetryAfter() async throws {
        try await withWorker(configure: { $0.auth.rateLimitPerClient = 1; $0.auth.rateLimitWindow = .seconds(5) }) { worker in
            let secret = try await worker.createClient("svc", json: #""grant_types":["client_credentials"]"#)!
            #expect(try await clientCredentials(worker, "svc", secret).status == 200)
            let limited = try await clientCredentials(worker, "svc", secret)
            #expect(limited.status == 429)
            let retryAfter = Int(limited.headers["retry-after"] ?? "") ?? 0
            #expect((1...5).contains(retryAfter))
            try await Task.sleep(for: .seconds(retryAfter))
            #expect(try await clientCredentials(worker, "svc", secret).status == 200)
        }
    }

    @Test func anAddressOverItsLimitGets429() async throws {
        try await withWorker(configure: { $0.auth.rateLimitPerAddress = 3; $0.auth.rateLimitWindow = .seconds(60) }) { worker in
            let secret = try await worker.createClient("svc", json: #""grant_types":["client_credentials"]"#)!
            var statuses: [Int] = []
            for _ in 0..<5 { statuses.append(try await clientCredentials(worker, "svc", secret).status) }
            #expect(statuses == [200, 200, 200, 429, 429])
            let keys = try await worker.redis.send("KEYS", "bt:{rl}:*").array ?? []
            #expect(keys.contains(.bulkString(Array("bt:{rl}:a:127.0.0.1".utf8))))
        }
    }

    @Test func withoutLimitsNothingIsCounted() async throws {
        try await withWorker { worker in
            let secret = try await worker.createClient("svc", json: #""grant_types":["client_credentials"]"#)!
            for _ in 0..<20 { #expect(try await clientCredentials(worker, "svc", secret).status == 200) }
            #expect(try await worker.redis.send("KEYS", "bt:{rl}:*") == .array([]))
        }
    }

    /// Cookie mode's routes count against the same per-client limit, with CORS headers on the 429 so
    /// the page can read it.
    @Test func browserRoutesShareTheClientsLimit() async throws {
        try await withWorker(configure: { $0.auth.rateLimitPerClient = 2; $0.auth.rateLimitWindow = .seconds(60) }) { worker in
            try await worker.createClient("spa", json: #""public":true,"cookie_mode":true,"allowed_origins":["https://app.example"]"#)
            var statuses: [Int] = []
            var last: LoopbackHTTPResponse?
            for _ in 0..<3 {
                last = try await LoopbackHTTPClient.send("POST", port: worker.port, path: "/browser/refresh?client_id=spa",
                                                         headers: [("Origin", "https://app.example"), ("X-Baton-CSRF", "1")])
                statuses.append(last!.status)
            }
            #expect(statuses == [400, 400, 429])  // no cookie, twice; then the limit
            #expect(last?.error == "too_many_requests")
            #expect(last?.headers["access-control-allow-origin"] == "https://app.example")
        }
    }
}
