import BatonCore
import BatonStore
import Foundation
import BatonLocalServers
import Testing

/// DESIGN.md §3 over real HTTP and a real Redis: what the service-level suite
/// (`BatonAuthTests.FamilyInvariantTests`, in memory and on Redis) cannot show — concurrency through
/// the server, nothing usable at rest, O(1) memory, client authentication, TTLs and the admin API.
@Suite struct RefreshInvariantTests {
    private func familyKey(_ session: String) -> String { KeySchema.family(SessionID(session)!) }

    @Test func replayOutsideGraceRevokesTheFamilyAndTheThiefsNewerToken() async throws {
        let clock = ManualClock(milliseconds: SystemClock().milliseconds())
        try await withWorker(clock: clock) { worker in
            let clients = try await worker.standardClients(appPolicy: #""grace_period":1"#)
            let session = try await worker.createSession(clients)
            let stolen = session["refresh_token"] as! String
            let thiefs = try await worker.refresh(stolen).json["refresh_token"] as! String  // the thief rotates first
            clock.advance(byMilliseconds: 1_001)
            let replay = try await worker.refresh(stolen)  // the victim presents the old token later
            #expect(replay.status == 400 && replay.error == "invalid_grant")
            #expect(try await worker.refresh(thiefs).error == "invalid_grant")
            #expect(try await worker.redis.send("EXISTS", familyKey(session["session_id"] as! String)) == .integer(0))
            #expect(worker.logs.all.contains { $0.contains("baton.event=reuse_detected") })
        }
    }

    @Test func fiftyConcurrentRefreshesOfOneTokenShareOneSuccessor() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let session = try await worker.createSession(clients)
            let token = session["refresh_token"] as! String
            let responses = try await withThrowingTaskGroup(of: LoopbackHTTPResponse.self) { group in
                for _ in 0..<50 { group.addTask { try await worker.refresh(token) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(responses.allSatisfy { $0.status == 200 })
            let successors = Set(responses.compactMap { $0.json["refresh_token"] as? String })
            #expect(successors.count == 1)
            let accessTokens = Set(responses.compactMap { $0.json["access_token"] as? String })
            #expect(accessTokens.count == 50)  // each caller gets a fresh access token
            let next = try await worker.refresh(successors.first!)
            #expect(next.status == 200)
        }
    }

    @Test func forgeriesAreRejectedBeforeRedisAndRevokeNothing() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let session = try await worker.createSession(clients)
            let token = session["refresh_token"] as! String
            let key = familyKey(session["session_id"] as! String)
            let before = try await worker.redis.send("HGETALL", key)
            let scriptCalls = try await evalshaCalls(worker)
            var parts = token.split(separator: ".").map(String.init)
            parts[5] = String(parts[5].reversed())  // same shape, wrong MAC
            let forged = parts.joined(separator: ".")
            var olderForged = parts
            olderForged[4] = "0"
            for candidate in [forged, olderForged.joined(separator: "."), token.replacingOccurrences(of: ".0.", with: ".7.")] {
                let response = try await worker.refresh(candidate)
                #expect(response.status == 400 && response.error == "invalid_grant")
            }
            #expect(try await evalshaCalls(worker) == scriptCalls)
            #expect(try await worker.redis.send("HGETALL", key) == before)
            #expect(try await worker.refresh(token).status == 200)
        }
    }

    @Test func redisNeverHoldsARefreshTokenOrAPrivateKey() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let session = try await worker.createSession(clients)
            let rotated = try await worker.refresh(session["refresh_token"] as! String).json
            let token = rotated["refresh_token"] as! String
            let mac = String(token.split(separator: ".")[5])
            var everything: [UInt8] = []
            for key in try await worker.redis.send("KEYS", "*").array ?? [] {
                everything += key.bytes ?? []
                let dump = try await worker.redis.send("DUMP", key.string!)
                everything += dump.bytes ?? []
            }
            let haystack = String(decoding: everything, as: UTF8.self)
            #expect(!haystack.contains(token) && !haystack.contains(mac))
            #expect(!haystack.contains("PRIVATE KEY") && !haystack.contains("\"d\""))
            #expect(!haystack.contains(clients.loginSecret))
        }
    }

    @Test func aFamilyCostsTheSameAfterOneOrAThousandRefreshes() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let session = try await worker.createSession(clients)
            let key = familyKey(session["session_id"] as! String)
            var token = try await worker.refresh(session["refresh_token"] as! String).json["refresh_token"] as! String
            let afterOne = try await worker.redis.send("MEMORY", "USAGE", key).int
            let keysAfterOne = try await worker.redis.send("DBSIZE")
            for _ in 0..<999 { token = try await worker.refresh(token).json["refresh_token"] as! String }
            #expect(try await worker.redis.send("HGET", key, FamilyField.generation.rawValue) == .bulkString(Array("1000".utf8)))
            #expect(try await worker.redis.send("MEMORY", "USAGE", key).int == afterOne)
            #expect(try await worker.redis.send("DBSIZE") == keysAfterOne)
        }
    }

    @Test func aFamilyIsBoundToItsClient() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            try await worker.createClient("other", json: #""public":true"#)
            let secret = try await worker.createClient("confidential-app", json: #""allowed_scopes":["read"]"#)!
            let token = try await worker.createSession(clients)["refresh_token"] as! String
            #expect(try await worker.refresh(token, client: "other").error == "invalid_grant")
            // The right client still refreshes: the wrong one changed nothing.
            #expect(try await worker.refresh(token).status == 200)

            let confidential = try await worker.createSession(clients, client: "confidential-app")["refresh_token"] as! String
            let unauthenticated = try await worker.refresh(confidential, client: "confidential-app")
            #expect(unauthenticated.status == 401 && unauthenticated.error == "invalid_client")
            #expect(unauthenticated.headers["www-authenticate"]?.hasPrefix("Basic") == true)
            let authenticated = try await worker.post("/oauth/token", form: ["grant_type": "refresh_token", "refresh_token": confidential],
                                                      headers: [TestWorker.basic("confidential-app", secret)])
            #expect(authenticated.status == 200)
        }
    }

    @Test func refreshSlidesTheIdleTimeoutAndTheAbsoluteLifetimeEndsTheFamily() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients(appPolicy: #""idle_timeout":600,"absolute_lifetime":3600"#)
            let session = try await worker.createSession(clients)
            let key = familyKey(session["session_id"] as! String)
            let ttl = try await worker.redis.send("PTTL", key).int ?? 0
            #expect(ttl > 590_000 && ttl <= 600_000)
            _ = try await worker.redis.send("PEXPIRE", key, "100000")
            let token = try await worker.refresh(session["refresh_token"] as! String).json["refresh_token"] as! String
            let extended = try await worker.redis.send("PTTL", key).int ?? 0
            #expect(extended > 590_000)
            // Past the absolute end, the family is refused and removed.
            _ = try await worker.redis.send("HSET", key, FamilyField.expiresAt.rawValue, "1000")
            #expect(try await worker.refresh(token).error == "invalid_grant")
            #expect(try await worker.redis.send("EXISTS", key) == .integer(0))
        }
    }

    @Test func revocationKillsTheFamilyAndUnknownTokensAreFine() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let token = try await worker.createSession(clients)["refresh_token"] as! String
            let revoked = try await worker.post("/oauth/revoke", form: ["token": token, "client_id": "app"])
            #expect(revoked.status == 200)
            #expect(try await worker.refresh(token).error == "invalid_grant")
            #expect(try await worker.post("/oauth/revoke", form: ["token": token, "client_id": "app"]).status == 200)
            #expect(try await worker.post("/oauth/revoke", form: ["token": "garbage", "client_id": "app"]).status == 200)
        }
    }

    @Test func logoutEverywhereEndsEveryFamilyOfThatUserAndNoOther() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let alice = [try await worker.createSession(clients), try await worker.createSession(clients)]
            let bob = try await worker.createSession(clients, subject: "bob")
            let response = try await worker.admin("DELETE", "/admin/users/alice/sessions")
            #expect(response.status == 200 && response.json["revoked_sessions"] as? Int == 2)
            for session in alice {
                #expect(try await worker.refresh(session["refresh_token"] as! String).error == "invalid_grant")
            }
            #expect(try await worker.refresh(bob["refresh_token"] as! String).status == 200)
            // Alice can log in again afterwards.
            let again = try await worker.createSession(clients)
            #expect(try await worker.refresh(again["refresh_token"] as! String).status == 200)
        }
    }

    private func evalshaCalls(_ worker: TestWorker) async throws -> Int {
        let info = try await worker.redis.send("INFO", "commandstats").string ?? ""
        guard let line = info.split(separator: "\r\n").first(where: { $0.hasPrefix("cmdstat_evalsha:") }),
              let calls = line.split(separator: ",").first?.split(separator: "=").last
        else { return 0 }
        return Int(calls) ?? 0
    }
}
