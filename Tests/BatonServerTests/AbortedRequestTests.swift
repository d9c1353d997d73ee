import BatonLocalServers
import Testing

/// A client that half-closes or disconnects in the middle of a request body did that itself: it
/// gets a 400 when it can still read, or nothing; the worker logs no error, counts no 5xx, counts
/// the request as aborted, and keeps serving.
@Suite struct AbortedRequestTests {
    /// Every body-taking endpoint, by both paths to `/oauth/token` (the event-loop path, and the
    /// router's for a target with a query string).
    private static let endpoints: [(path: String, contentType: String, authorization: String)] = [
        ("/oauth/token", "application/x-www-form-urlencoded", "Basic YXBwOg=="),
        ("/oauth/token?via=router", "application/x-www-form-urlencoded", "Basic YXBwOg=="),
        ("/oauth/revoke", "application/x-www-form-urlencoded", "Basic YXBwOg=="),
        ("/oauth/introspect", "application/x-www-form-urlencoded", "Basic YXBwOg=="),
        ("/v1/sessions", "application/json", "Basic bG9naW46c2VjcmV0"),
        ("/admin/clients", "application/json", "Bearer \(TestWorker.adminToken)"),
        ("/browser/session?client_id=spa", "application/x-www-form-urlencoded", "Basic YXBwOg=="),
    ]

    /// A request whose head promises 100 bytes of body and which sends 10 (with what a page of the
    /// cookie-mode client `spa` sends, so the browser route reads its body too).
    private func partialRequest(_ path: String, _ contentType: String, _ authorization: String) -> String {
        "POST \(path) HTTP/1.1\r\nHost: x\r\nAuthorization: \(authorization)\r\nOrigin: https://app.example\r\nX-Baton-CSRF: 1\r\n"
            + "Content-Type: \(contentType)\r\nContent-Length: 100\r\n\r\ngrant_type"
    }

    @Test func halfClosedAndAbandonedBodiesAreTheClientsDoing() async throws {
        try await withWorker { worker in
            try await worker.createClient("spa", json: #""public":true,"cookie_mode":true,"allowed_origins":["https://app.example"]"#)
            for (path, contentType, authorization) in Self.endpoints {
                let request = partialRequest(path, contentType, authorization)
                let halfClosed = try await RawHTTP.exchange(port: worker.port, [request], halfClose: true)
                #expect(halfClosed.map(\.status) == [400], "\(path): \(halfClosed)")
                #expect(halfClosed.first?.body.contains("the request ended before its body was complete") == true, "\(path)")
                let abandoned = try await RawHTTP.exchange(port: worker.port, [request], disconnect: true)
                #expect(abandoned.isEmpty)
            }
            // The worker still serves, and nothing of the above counts as a server error.
            #expect(try await worker.get("/healthz").status == 200)
            let metrics = try await worker.get("/metrics").text
            #expect(!metrics.contains(#"status="5"#), "\(metrics)")
            let aborted = metrics.split(separator: "\n").filter { $0.hasPrefix("baton_http_aborted_requests_total{") }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
            #expect(aborted >= Double(Self.endpoints.count), "\(metrics)")
            #expect(!worker.logs.all.contains { $0.hasPrefix("error") || $0.hasPrefix("critical") }, "\(worker.logs.all)")
        }
    }
}
