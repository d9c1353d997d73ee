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
}
