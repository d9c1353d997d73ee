import BatonLocalServers
import Foundation
import Testing

/// `/metrics` in Prometheus text format, one log line per request, and no token in any log line.
@Suite struct ObservabilityTests {
    private func value(_ metrics: String, _ series: String) -> Double? {
        metrics.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    @Test func metricsCountRequestsAndRefreshOutcomes() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients(appPolicy: #""grace_period":0"#)
            let session = try await worker.createSession(clients)
            let first = session["refresh_token"] as! String
            let second = try await worker.refresh(first).json["refresh_token"] as! String
            _ = try await worker.refresh(first)  // reuse: the family is revoked
            _ = try await worker.refresh(second)  // its newer token is gone with it
            _ = try await worker.refresh("btr1.forged")
            let response = try await worker.get("/metrics")
            #expect(response.status == 200 && response.headers["content-type"]?.hasPrefix("text/plain") == true)
            let metrics = response.text
            #expect(value(metrics, #"baton_refresh_outcomes_total{outcome="rotated"}"#) == 1)
            #expect(value(metrics, #"baton_refresh_outcomes_total{outcome="reuse_detected"}"#) == 1)
            #expect(value(metrics, #"baton_refresh_outcomes_total{outcome="unknown_family"}"#) == 1)
            #expect(value(metrics, #"baton_refresh_outcomes_total{outcome="invalid"}"#) == 1)
            #expect(value(metrics, #"baton_http_requests_total{endpoint="/oauth/token",method="POST",status="200"}"#) == 1)
            #expect(value(metrics, #"baton_http_requests_total{endpoint="/oauth/token",method="POST",status="400"}"#) == 3)
            #expect(metrics.contains("baton_http_request_seconds_bucket{endpoint=\"/oauth/token\""))
            #expect(metrics.contains("baton_redis_refresh_script_seconds_count 3"))
            #expect((value(metrics, "baton_keyset_version_number") ?? 0) >= 1)
        }
    }

    @Test func dpopProofsRefusedBeforeRedisAreCountedByReason() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients(appPolicy: #""require_dpop":true"#)
            try await worker.createClient("nonce-app", json: #""public":true,"dpop_nonce":true"#)
            let key = try await JoserfcDPoP.generate("ES256")
            let session = try await worker.postJSON("/v1/sessions", #"{"sub":"alice","client_id":"app","dpop_jkt":"\#(key.thumbprint)"}"#,
                                                    headers: [TestWorker.basic("login", clients.loginSecret)])
            let token = try #require(session.json["refresh_token"] as? String, "\(session.text)")
            func refresh(_ dpop: [String], as client: String = "app") async throws -> LoopbackHTTPResponse {
                try await worker.post("/oauth/token", form: ["grant_type": "refresh_token", "refresh_token": token, "client_id": client],
                                      headers: dpop.map { ("DPoP", $0) })
            }
            let series = { (reason: String) in #"baton_dpop_proofs_refused_total{reason="\#(reason)"}"# }
            let reasons = ["missing", "malformed", "signature", "target", "iat", "nonce"]
            let before = try await worker.get("/metrics").text
            for reason in reasons { #expect(value(before, series(reason)) == 0, "\(reason) is exported from the start") }

            let proofs = try await key.proofs([
                .typ("JWT"), .badSignature, .htu("https://elsewhere.test/oauth/token"), .iatOffset(-120), .good,
            ])
            let refused = [
                try await refresh([]), try await refresh([proofs[0]]), try await refresh([proofs[1]]), try await refresh([proofs[2]]),
                try await refresh([proofs[3]]), try await refresh([proofs[4]], as: "nonce-app"),
            ]
            #expect(refused.map(\.status) == Array(repeating: 400, count: 6))
            #expect(refused.map { $0.error ?? "" } == Array(repeating: "invalid_dpop_proof", count: 5) + ["use_dpop_nonce"])
            // Another key's proof is a good proof: the family's binding refuses it in Redis.
            let stolen = try await refresh([try await JoserfcDPoP.generate("ES256").proof()])
            #expect(stolen.error == "invalid_dpop_proof")

            let metrics = try await worker.get("/metrics").text
            for reason in reasons { #expect(value(metrics, series(reason)) == 1, "\(reason)") }
            #expect(value(metrics, #"baton_refresh_outcomes_total{outcome="dpop_key_mismatch"}"#) == 1)
            #expect(metrics.contains("baton_redis_refresh_script_seconds_count 1"), "only the other key's proof reached Redis")
        }
    }

    @Test func everyRequestIsLoggedOnceWithoutTokens() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let session = try await worker.createSession(clients)
            let token = session["refresh_token"] as! String
            _ = try await worker.refresh(token)
            _ = try await worker.refresh(token + "x")
            let lines = worker.logs.all
            let requests = lines.filter { $0.hasPrefix("info request ") }
            #expect(requests.contains { $0.contains("http.path=/oauth/token") && $0.contains("http.status=200") })
            #expect(requests.contains { $0.contains("http.path=/oauth/token") && $0.contains("http.status=400") })
            #expect(requests.filter { $0.contains("http.path=/oauth/token") }.count == 2)
            #expect(!lines.contains { $0.contains("btr1.") || $0.contains("eyJ") || $0.contains(clients.loginSecret) })
        }
    }

    /// The access line of the token path and of a routed request, as `baton serve` writes it in
    /// each `--log-format`: the worker's own fields and the request's, sorted, milliseconds with
    /// three decimals.
    @Test(arguments: ["text", "json"])
    func accessLinesHaveOneShapeInEachFormat(format: String) async throws {
        var log = ""
        var statuses: [Int] = []
        try await BatonServeProcesses.with(count: 1, extra: ["--log-format", format]) { cluster in
            statuses.append(try await cluster.refresh("btr1.forged", on: 0).status)
            statuses.append(try await LoopbackHTTPClient.send("GET", port: cluster.workers[0].port, path: "/healthz?probe=1").status)
            cluster.workers[0].process.signal(SIGTERM)
            await cluster.workers[0].process.waitForExit()
            log = try String(contentsOfFile: cluster.workers[0].logPath, encoding: .utf8)
        }
        let expected = [("POST", "/oauth/token", statuses[0]), ("GET", "/healthz", statuses[1])]
        let lines = log.split(separator: "\n").map(String.init)
        switch format {
        case "text":
            let access = lines.filter { $0.hasSuffix(" [BatonServer] request") && !$0.contains("/readyz") }
            #expect(access.count == 2, "\(access)")
            for ((method, path, status), line) in zip(expected, access) {
                let shape = try Regex(#"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} info baton : baton.worker=\S+ "#
                                      + #"http.duration_ms=\d+\.\d{3} http.method=\#(method) http.path=\#(path) "#
                                      + #"http.status=\#(status) \[BatonServer\] request$"#)
                #expect(line.wholeMatch(of: shape) != nil, "\(line)")
            }
        default:
            let access = lines.compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: String]
            }.filter { $0["message"] == "request" && $0["http.path"] != "/readyz" }
            #expect(access.count == 2, "\(access)")
            for ((method, path, status), line) in zip(expected, access) {
                #expect(Set(line.keys) == ["time", "level", "message", "source", "baton.worker", "http.method", "http.path",
                                           "http.status", "http.duration_ms"])
                #expect(line["level"] == "info" && line["source"] == "BatonServer")
                #expect(line["http.method"] == method && line["http.path"] == path && line["http.status"] == String(status))
                #expect(line["http.duration_ms"]?.wholeMatch(of: /\d+\.\d{3}/) != nil)
                #expect(line["time"]?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(line)")
            }
        }
    }
}
