import BatonCore
import BatonLocalServers
import BatonSystem
import BatonTesting
import Foundation
import Testing

/// DPoP (RFC 9449) over HTTP, against real workers, with proofs made by Python's joserfc: a bound
/// session refreshes on both front doors of the token endpoint (the event-loop path, and the
/// router's, which a query string takes), every bad proof is refused with `invalid_dpop_proof` and
/// changes nothing, nonces are asked for with a `DPoP-Nonce` header, and a proof's `jti` is spent
/// for every worker at once.
@Suite struct DPoPEndpointTests {
    /// The token endpoint's two front doors: the event-loop path, and the router's.
    static let frontDoors = ["/oauth/token", "/oauth/token?via=router"]

    /// Creates a session for `subject` bound to `jkt`; returns the response's members.
    private func boundSession(_ worker: TestWorker, _ clients: StandardClients, jkt: String,
                              subject: String = "alice") async throws -> [String: Any] {
        let response = try await worker.postJSON("/v1/sessions", #"{"sub":"\#(subject)","client_id":"app","dpop_jkt":"\#(jkt)"}"#,
                                                 headers: [TestWorker.basic("login", clients.loginSecret)])
        #expect(response.status == 201, "\(response.text)")
        return response.json
    }

    /// Presents a refresh token as `app` through `path`, with these `DPoP` header values.
    private func refresh(_ worker: TestWorker, _ token: String, dpop: [String], path: String = "/oauth/token")
        async throws -> LoopbackHTTPResponse {
        try await worker.post(path, form: ["grant_type": "refresh_token", "refresh_token": token, "client_id": "app"],
                              headers: dpop.map { ("DPoP", $0) })
    }

    @Test func aBoundSessionRefreshesEndToEndOnBothFrontDoors() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let key = try await JoserfcDPoP.generate("ES256")
            let session = try await boundSession(worker, clients, jkt: key.thumbprint)
            #expect(session["token_type"] as? String == "DPoP")
            #expect(try JoserfcDPoP.claims(of: session["access_token"] as! String)["cnf"] as? [String: String] == ["jkt": key.thumbprint])
            var token = session["refresh_token"] as! String
            for path in Self.frontDoors {
                let response = try await refresh(worker, token, dpop: [try await key.proof()], path: path)
                #expect(response.status == 200, "\(path): \(response.text)")
                #expect(response.json["token_type"] as? String == "DPoP", "\(path)")
                #expect(response.headers["cache-control"] == "no-store")
                #expect(response.headers["dpop-nonce"] == nil, "nonces are off")
                let claims = try JoserfcDPoP.claims(of: response.json["access_token"] as! String)
                #expect(claims["cnf"] as? [String: String] == ["jkt": key.thumbprint], "\(path)")
                let next = try #require(response.json["refresh_token"] as? String)
                #expect(next != token)
                token = next
                // Without a proof, or with another key's, both doors refuse alike.
                let other = try await JoserfcDPoP.generate("EdDSA")
                let missing = try await refresh(worker, token, dpop: [], path: path)
                #expect(missing.status == 400)
                #expect(missing.error == "invalid_dpop_proof")
                #expect(missing.json["error_description"] as? String == "the refresh token is bound to a DPoP key: a DPoP proof is required")
                let stolen = try await refresh(worker, token, dpop: [try await other.proof()], path: path)
                #expect(stolen.status == 400)
                #expect(stolen.json["error_description"] as? String == "the DPoP proof's key is not the one the refresh token is bound to")
            }
            #expect(!worker.logs.all.contains { $0.contains("reuse_detected") })
            #expect(try await refresh(worker, token, dpop: [try await key.proof()]).status == 200)
        }
    }

    @Test func badProofsAreRefusedOnBothFrontDoorsAndChangeNothing() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let key = try await JoserfcDPoP.generate("ES256")
            var token = try await boundSession(worker, clients, jkt: key.thumbprint)["refresh_token"] as! String
            let spent = try await key.proof(.jti("spent-once"))
            let first = try await refresh(worker, token, dpop: [spent])
            #expect(first.status == 200)
            token = first.json["refresh_token"] as! String

            let cases: [(String, JoserfcDPoP.Variant)] = [
                ("the DPoP proof's htm is not the request's method", .htm("GET")),
                ("the DPoP proof's htu is not the token endpoint's URL", .htu("https://elsewhere.test/oauth/token")),
                ("the DPoP proof's htu is not the token endpoint's URL", .htu("https://baton.test/oauth/revoke")),
                ("the DPoP proof's iat is more than 60 s from the server's time", .iatOffset(-120)),
                ("the DPoP proof's iat is more than 60 s from the server's time", .iatOffset(120)),
                ("the DPoP proof is not a JWS of three non-empty segments", .algNone),
                ("the DPoP proof's alg must be ES256, EdDSA or RS256", .hs256),
                ("the DPoP proof's jwk must be a public key", .privateJWK),
                ("the DPoP proof's typ must be dpop+jwt", .typ("JWT")),
                ("the DPoP proof's signature does not verify with its jwk", .badSignature),
            ]
            let proofs = try await key.proofs(cases.map(\.1))
            let twoHeaders = try await key.proofs([.good, .good])
            var refusals = zip(cases.map(\.0), proofs.map { [$0] }).map { ($0, $1) }
            refusals.append(("more than one DPoP header", twoHeaders))
            refusals.append(("the DPoP proof was already used", [spent]))
            for path in Self.frontDoors {
                for (hint, dpop) in refusals {
                    let response = try await refresh(worker, token, dpop: dpop, path: path)
                    #expect(response.status == 400, "\(path) \(hint): \(response.text)")
                    #expect(response.error == "invalid_dpop_proof", "\(path) \(hint)")
                    #expect(response.json["error_description"] as? String == hint, "\(path): \(response.text)")
                    #expect(response.headers["dpop-nonce"] == nil)
                }
            }
            // Nothing changed: the current token still refreshes with a good proof, and no proof
            // or nonce reached the log.
            #expect(try await refresh(worker, token, dpop: [try await key.proof()]).status == 200)
            #expect(!worker.logs.all.contains { line in (proofs + twoHeaders + [spent]).contains { line.contains($0) } })
        }
    }

    @Test func missingAndStaleNoncesAreAnsweredWithTheCurrentNonceOnBothFrontDoors() async throws {
        let clock = ManualClock(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        try await withWorker(clock: clock, configure: { $0.auth.dpopNoncesRequired = true }) { worker in
            let clients = try await worker.standardClients()
            let key = try await JoserfcDPoP.generate("RS256")
            var token = try await boundSession(worker, clients, jkt: key.thumbprint)["refresh_token"] as! String
            var previousNonce: String?
            for path in Self.frontDoors {
                let now = { clock.milliseconds() / 1000 }
                let missing = try await refresh(worker, token, dpop: [try await key.proof(.iat(now()))], path: path)
                #expect(missing.status == 400, "\(path): \(missing.text)")
                #expect(missing.error == "use_dpop_nonce")
                let nonce = try #require(missing.headers["dpop-nonce"])
                #expect(missing.headers["access-control-expose-headers"] == "DPoP-Nonce")
                #expect(nonce != previousNonce)
                if let previousNonce {
                    // A nonce two buckets old is stale: asked again, with the current one.
                    let stale = try await refresh(worker, token, dpop: [try await key.proof(.iat(now()).and(.nonce(previousNonce)))], path: path)
                    #expect(stale.error == "use_dpop_nonce")
                    #expect(stale.headers["dpop-nonce"] == nonce)
                }
                let forged = try await refresh(worker, token, dpop: [try await key.proof(.iat(now()).and(.nonce("forged")))], path: path)
                #expect(forged.error == "use_dpop_nonce")
                #expect(forged.headers["dpop-nonce"] == nonce)
                let accepted = try await refresh(worker, token, dpop: [try await key.proof(.iat(now()).and(.nonce(nonce)))], path: path)
                #expect(accepted.status == 200, "\(path): \(accepted.text)")
                #expect(accepted.json["token_type"] as? String == "DPoP")
                token = accepted.json["refresh_token"] as! String
                previousNonce = nonce
                clock.advance(byMilliseconds: 600_000)  // two nonce buckets
            }
            #expect(!worker.logs.all.contains { line in previousNonce.map { line.contains($0) } ?? false })
        }
    }

    @Test func aClientRequiringDPoPRefusesUnboundSessionsAndProoflessRefreshes() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients(appPolicy: #""require_dpop":true"#)
            let app = try await worker.admin("GET", "/admin/clients/app")
            #expect((app.json["policy"] as? [String: Any])?["require_dpop"] as? Bool == true, "\(app.text)")
            #expect((app.json["policy"] as? [String: Any])?["dpop_nonce"] as? Bool == false)

            let unbound = try await worker.postJSON("/v1/sessions", #"{"sub":"alice","client_id":"app"}"#,
                                                    headers: [TestWorker.basic("login", clients.loginSecret)])
            #expect(unbound.status == 400)
            #expect(unbound.error == "invalid_request")
            #expect((unbound.json["error_description"] as? String)?.contains("'dpop_jkt'") == true)
            let malformed = try await worker.postJSON("/v1/sessions", #"{"sub":"alice","client_id":"app","dpop_jkt":"short"}"#,
                                                      headers: [TestWorker.basic("login", clients.loginSecret)])
            #expect(malformed.status == 400)
            #expect((malformed.json["error_description"] as? String)?.contains("'dpop_jkt'") == true)

            let key = try await JoserfcDPoP.generate("EdDSA")
            let token = try await boundSession(worker, clients, jkt: key.thumbprint)["refresh_token"] as! String
            for path in Self.frontDoors {
                let missing = try await refresh(worker, token, dpop: [], path: path)
                #expect(missing.status == 400)
                #expect(missing.error == "invalid_dpop_proof")
                #expect(missing.json["error_description"] as? String == "missing DPoP proof")
            }
            // The admin API lists the session with its binding.
            let sessions = try await worker.admin("GET", "/admin/users/alice/sessions")
            #expect(sessions.status == 200)
            #expect(sessions.text.contains(#""dpop_jkt":"\#(key.thumbprint)""#), "\(sessions.text)")
            #expect(try await refresh(worker, token, dpop: [try await key.proof()]).status == 200)
        }
    }

    @Test func clientCredentialsWithAProofGetABoundAccessToken() async throws {
        try await withWorker { worker in
            let secret = try await worker.createClient("service", json: #""grant_types":["client_credentials"],"allowed_scopes":["jobs"]"#)!
            let key = try await JoserfcDPoP.generate("ES256")
            for path in Self.frontDoors {
                let form = ["grant_type": "client_credentials", "client_id": "service", "client_secret": secret]
                let bound = try await worker.post(path, form: form, headers: [("DPoP", try await key.proof())])
                #expect(bound.status == 200, "\(bound.text)")
                #expect(bound.json["token_type"] as? String == "DPoP")
                #expect(try JoserfcDPoP.claims(of: bound.json["access_token"] as! String)["cnf"] as? [String: String]
                            == ["jkt": key.thumbprint])
                let bearer = try await worker.post(path, form: form)
                #expect(bearer.json["token_type"] as? String == "Bearer")
                #expect(try JoserfcDPoP.claims(of: bearer.json["access_token"] as! String)["cnf"] == nil)
            }
        }
    }

    @Test func theMetadataAndIntrospectionShowDPoP() async throws {
        try await withWorker { worker in
            let metadata = try await worker.get("/.well-known/oauth-authorization-server")
            #expect(metadata.json["dpop_signing_alg_values_supported"] as? [String] == ["ES256", "EdDSA", "RS256"])

            let clients = try await worker.standardClients()
            let key = try await JoserfcDPoP.generate("ES256")
            let session = try await boundSession(worker, clients, jkt: key.thumbprint)
            let rotated = try await refresh(worker, session["refresh_token"] as! String, dpop: [try await key.proof()])
            let login = TestWorker.basic("login", clients.loginSecret)
            let access = try await worker.post("/oauth/introspect", form: ["token": rotated.json["access_token"] as! String],
                                               headers: [login])
            #expect(access.json["active"] as? Bool == true, "\(access.text)")
            #expect(access.json["token_type"] as? String == "DPoP")
            #expect(access.json["cnf"] as? [String: String] == ["jkt": key.thumbprint])
            let refreshToken = try await worker.post("/oauth/introspect", form: ["token": rotated.json["refresh_token"] as! String,
                                                                                 "client_id": "app"])
            #expect(refreshToken.json["active"] as? Bool == true, "\(refreshToken.text)")
            #expect(refreshToken.json["cnf"] as? [String: String] == ["jkt": key.thumbprint])
            let unbound = try await worker.createSession(clients, subject: "bob")
            let bearer = try await worker.post("/oauth/introspect", form: ["token": unbound["access_token"] as! String], headers: [login])
            #expect(bearer.json["token_type"] as? String == "Bearer")
            #expect(bearer.json["cnf"] == nil)
        }
    }
}

/// Across `baton serve` processes on one Redis: a proof's `jti` is spent for every worker, and the
/// stateless nonces of one worker are good at another (`--dpop-nonces`, `--dpop-iat-window`,
/// `baton clients add --require-dpop`).
@Suite struct DPoPWorkerProcessTests {
    @Test func aReplayedProofIsRefusedByAnotherWorkerAndNoncesWorkAcrossWorkers() async throws {
        try await BatonServeProcesses.with(count: 2, extra: ["--dpop-nonces", "--dpop-iat-window", "30"]) { cluster in
            let login = try await cluster.cli(["clients", "add", "login", "--permission", "sessions"])
            let secret = try #require(login.output.split(separator: "\n").first { $0.hasPrefix("client_secret:") }?.split(separator: " ")[1])
            let app = try await cluster.cli(["clients", "add", "app", "--public", "--require-dpop"])
            #expect(app.status == 0, "\(app.output)")
            #expect(app.output.contains("dpop:          required"))
            let key = try await JoserfcDPoP.generate("ES256")
            let created = try await LoopbackHTTPClient.send(
                "POST", port: cluster.workers[0].port, path: "/v1/sessions",
                headers: [("Content-Type", "application/json"),
                          ("Authorization", "Basic " + Data("login:\(secret)".utf8).base64EncodedString())],
                body: Array(#"{"sub":"alice","client_id":"app","dpop_jkt":"\#(key.thumbprint)"}"#.utf8))
            #expect(created.status == 201, "\(created.text)")
            var token = try #require(created.json["refresh_token"] as? String)
            func refresh(on index: Int, _ proof: String) async throws -> LoopbackHTTPResponse {
                try await LoopbackHTTPClient.send("POST", port: cluster.workers[index].port, path: "/oauth/token",
                                                  headers: [("Content-Type", "application/x-www-form-urlencoded"), ("DPoP", proof)],
                                                  body: Array("grant_type=refresh_token&client_id=app&refresh_token=\(token)".utf8))
            }
            // --dpop-nonces: a proof without a nonce is asked for one.
            let asked = try await refresh(on: 0, try await key.proof())
            #expect(asked.status == 400)
            #expect(asked.error == "use_dpop_nonce")
            let nonce = try #require(asked.headers["dpop-nonce"])
            #expect(asked.headers["access-control-expose-headers"] == "DPoP-Nonce")
            let proof = try await key.proof(.nonce(nonce))
            let first = try await refresh(on: 0, proof)
            #expect(first.status == 200, "\(first.text)")
            token = try #require(first.json["refresh_token"] as? String)
            // The same proof at the other worker, with the new token: spent.
            let replayed = try await refresh(on: 1, proof)
            #expect(replayed.status == 400)
            #expect(replayed.error == "invalid_dpop_proof")
            #expect(replayed.json["error_description"] as? String == "the DPoP proof was already used")
            // --dpop-iat-window 30: a proof made 45 s ago is refused.
            let old = try await refresh(on: 1, try await key.proof(.nonce(nonce).and(.iatOffset(-45))))
            #expect(old.error == "invalid_dpop_proof")
            #expect(old.json["error_description"] as? String == "the DPoP proof's iat is more than 30 s from the server's time")
            // The first worker's nonce is good at the second; the family did not move.
            let second = try await refresh(on: 1, try await key.proof(.nonce(nonce)))
            #expect(second.status == 200, "\(second.text)")
            #expect(second.json["token_type"] as? String == "DPoP")
        }
    }

    @Test func batonClusterPassesTheDPoPOptionsToEveryWorker() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("baton-dpop-cluster-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: data) }
        let port = try freeLoopbackPort()
        let supervisor = try ChildProcess.spawn(
            batonBinary, ["cluster", "--workers", "2", "--port", String(port), "--data-dir", data, "--issuer", "https://baton.test",
                          "--dpop-nonces", "--dpop-iat-window", "30"],
            outputPath: data + "/cluster.log")
        do {
            try await waitUntilReady(port: port, supervisor, logPath: data + "/cluster.log")
            let login = try await runToCompletion(batonBinary, ["clients", "add", "login", "--permission", "sessions", "--data-dir", data])
            let secret = try #require(login.output.split(separator: "\n").first { $0.hasPrefix("client_secret:") }?.split(separator: " ")[1])
            _ = try await runToCompletion(batonBinary, ["clients", "add", "app", "--public", "--data-dir", data])
            let key = try await JoserfcDPoP.generate("ES256")
            let created = try await LoopbackHTTPClient.send(
                "POST", port: port, path: "/v1/sessions",
                headers: [("Content-Type", "application/json"),
                          ("Authorization", "Basic " + Data("login:\(secret)".utf8).base64EncodedString())],
                body: Array(#"{"sub":"alice","client_id":"app","dpop_jkt":"\#(key.thumbprint)"}"#.utf8))
            let token = try #require(created.json["refresh_token"] as? String)
            // The second worker may still be starting: wait until both answer on the shared port.
            var answered = Set<String>()
            try await poll("both workers to answer on the shared port", timeout: .seconds(30), every: .zero) {
                answered.insert(try await LoopbackHTTPClient.send("GET", port: port, path: "/healthz").headers["baton-worker"] ?? "")
                return answered.count == 2
            }
            // Every worker asks for a nonce (--dpop-nonces) and refuses a proof 45 s old (--dpop-iat-window 30).
            // A proof refused for its nonce is refused before Redis, so one proof serves every try.
            let proofWithoutNonce = try await key.proof()
            var asked = Set<String>()
            try await poll("both workers to ask for a nonce", timeout: .seconds(30), every: .zero) {
                let response = try await LoopbackHTTPClient.send(
                    "POST", port: port, path: "/oauth/token",
                    headers: [("Content-Type", "application/x-www-form-urlencoded"), ("DPoP", proofWithoutNonce)],
                    body: Array("grant_type=refresh_token&client_id=app&refresh_token=\(token)".utf8))
                if response.error == "use_dpop_nonce", response.headers["dpop-nonce"] != nil {
                    asked.insert(response.headers["baton-worker"] ?? "")
                }
                return asked.count == 2
            }
            let nonce = try #require(try await LoopbackHTTPClient.send(
                "POST", port: port, path: "/oauth/token",
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("DPoP", try await key.proof())],
                body: Array("grant_type=refresh_token&client_id=app&refresh_token=\(token)".utf8)).headers["dpop-nonce"])
            let old = try await LoopbackHTTPClient.send(
                "POST", port: port, path: "/oauth/token",
                headers: [("Content-Type", "application/x-www-form-urlencoded"),
                          ("DPoP", try await key.proof(.nonce(nonce).and(.iatOffset(-45))))],
                body: Array("grant_type=refresh_token&client_id=app&refresh_token=\(token)".utf8))
            #expect(old.json["error_description"] as? String == "the DPoP proof's iat is more than 30 s from the server's time")
        } catch {
            supervisor.signal(SIGTERM)
            _ = await supervisor.waitForExit()
            throw error
        }
        supervisor.signal(SIGTERM)
        #expect(await supervisor.waitForExit() == 0)
    }
}
