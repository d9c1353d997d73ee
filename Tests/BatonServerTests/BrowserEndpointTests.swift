import BatonLocalServers
import Foundation
import Testing

/// Cookie mode over HTTP against a real worker: the page's routes answer an allowed origin with
/// the access token as JSON and the refresh token only as a `__Host-` cookie, and every refusal
/// (Origin, CSRF header, cookie, client, handoff code) is a clear 4xx that changes nothing, but
/// a reused handoff code, which revokes its family.
@Suite struct BrowserEndpointTests {
    static let origin = "https://app.example"
    static let otherOrigin = "https://other.example"

    /// The login backend, a cookie-mode client `spa` for `origin` and another, `spa2`, for `otherOrigin`.
    private func clients(_ worker: TestWorker) async throws -> StandardClients {
        let clients = try await worker.standardClients()
        for (id, origin) in [("spa", Self.origin), ("spa2", Self.otherOrigin)] {
            try await worker.createClient(id, json: #""public":true,"allowed_scopes":["read"],"cookie_mode":true,"allowed_origins":["\#(origin)"]"#)
        }
        return clients
    }

    /// A cookie-mode session of `spa`: the login backend's handoff code.
    private func handoffCode(_ worker: TestWorker, _ clients: StandardClients, subject: String = "alice") async throws -> String {
        let response = try await worker.postJSON("/v1/sessions", #"{"sub":"\#(subject)","client_id":"spa","delivery":"cookie"}"#,
                                                 headers: [TestWorker.basic("login", clients.loginSecret)])
        #expect(response.status == 201, "\(response.text)")
        #expect(response.json["refresh_token"] == nil)
        return try #require(response.json["handoff_code"] as? String)
    }

    /// A POST to a browser route as a page would send it, unless told otherwise.
    private func post(_ worker: TestWorker, _ route: String, client: String? = "spa", origin: String? = Self.origin,
                      csrf: String? = "1", cookie: String? = nil, form: [String: String] = [:]) async throws -> LoopbackHTTPResponse {
        var headers: [(String, String)] = []
        if let origin { headers.append(("Origin", origin)) }
        if let csrf { headers.append(("X-Baton-CSRF", csrf)) }
        if let cookie { headers.append(("Cookie", "theme=dark; __Host-baton_rt=\(cookie)")) }
        let path = "/browser/" + route + (client.map { "?client_id=" + $0 } ?? "")
        if form.isEmpty { return try await LoopbackHTTPClient.send("POST", port: worker.port, path: path, headers: headers) }
        return try await worker.post(path, form: form, headers: headers)
    }

    /// The refresh token a response's `Set-Cookie` stores, after checking every attribute.
    private func cookie(of response: LoopbackHTTPResponse, maxAge: Int = 14 * 86_400) throws -> String {
        let header = try #require(response.headers["set-cookie"])
        let parts = header.components(separatedBy: "; ")
        #expect(parts.dropFirst() == ["Path=/", "Max-Age=\(maxAge)", "Secure", "HttpOnly", "SameSite=Strict"], "\(header)")
        #expect(!header.contains("Domain"))
        let value = String(try #require(parts.first).dropFirst("__Host-baton_rt=".count))
        #expect(value.hasPrefix("btr1."))
        return value
    }

    private func expectCORS(_ response: LoopbackHTTPResponse, origin: String = Self.origin) {
        #expect(response.headers["access-control-allow-origin"] == origin)
        #expect(response.headers["access-control-allow-credentials"] == "true")
        #expect(response.headers["vary"] == "Origin")
    }

    @Test func aPageGetsTheAccessTokenAsJSONAndTheRefreshTokenOnlyAsACookie() async throws {
        try await withWorker { worker in
            let code = try await handoffCode(worker, try await clients(worker))
            let session = try await post(worker, "session", form: ["handoff_code": code])
            #expect(session.status == 200, "\(session.text)")
            #expect(session.json["access_token"] is String && session.json["token_type"] as? String == "Bearer")
            #expect(session.json["refresh_token"] == nil && !session.text.contains("btr1."))
            #expect(session.headers["cache-control"] == "no-store")
            expectCORS(session)
            var token = try cookie(of: session)

            for _ in 0..<3 {
                let refreshed = try await post(worker, "refresh", cookie: token)
                #expect(refreshed.status == 200, "\(refreshed.text)")
                #expect(refreshed.json["refresh_token"] == nil && !refreshed.text.contains("btr1."))
                #expect(refreshed.headers["cache-control"] == "no-store")
                expectCORS(refreshed)
                let next = try cookie(of: refreshed)
                #expect(next != token)
                token = next
            }

            let logout = try await post(worker, "logout", cookie: token)
            #expect(logout.status == 200)
            #expect(logout.headers["set-cookie"] == "__Host-baton_rt=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict")
            let after = try await post(worker, "refresh", cookie: token)
            #expect(after.status == 400 && after.error == "invalid_grant")
            #expect(after.headers["set-cookie"]?.hasPrefix("__Host-baton_rt=; Path=/; Max-Age=0") == true)
        }
    }

    /// Each refusal is a 4xx naming its problem; afterwards the session refreshes from the same
    /// cookie, so none of them changed anything.
    @Test func everyRefusalIsClearAndChangesNothing() async throws {
        try await withWorker { worker in
            let code = try await handoffCode(worker, try await clients(worker))
            let token = try cookie(of: try await post(worker, "session", form: ["handoff_code": code]))
            let cases: [(String, LoopbackHTTPResponse, Int, String, String)] = [
                ("no Origin", try await post(worker, "refresh", origin: nil, cookie: token), 403, "access_denied", "no Origin header"),
                ("foreign Origin", try await post(worker, "refresh", origin: "https://evil.example", cookie: token), 403, "access_denied",
                 "the origin 'https://evil.example' is not allowed for this client"),
                ("same host, other port", try await post(worker, "refresh", origin: "https://app.example:8443", cookie: token), 403,
                 "access_denied", "is not allowed"),
                ("no CSRF header", try await post(worker, "refresh", csrf: nil, cookie: token), 403, "access_denied", "X-Baton-CSRF: 1"),
                ("wrong CSRF value", try await post(worker, "refresh", csrf: "yes", cookie: token), 403, "access_denied", "X-Baton-CSRF: 1"),
                ("no cookie", try await post(worker, "refresh"), 400, "invalid_grant", "no refresh-token cookie"),
                ("another client's cookie", try await post(worker, "refresh", client: "spa2", origin: Self.otherOrigin, cookie: token), 400,
                 "invalid_grant", "invalid, expired or revoked"),
                ("a forged cookie", try await post(worker, "refresh", cookie: String(token.dropLast()) + (token.hasSuffix("A") ? "B" : "A")),
                 400, "invalid_grant", "invalid, expired or revoked"),
                ("no client_id", try await post(worker, "refresh", client: nil, cookie: token), 400, "invalid_request", "?client_id="),
                ("an unknown client", try await post(worker, "refresh", client: "nobody", cookie: token), 401, "invalid_client", "no client"),
                ("a client not in cookie mode", try await post(worker, "refresh", client: "app", cookie: token), 400, "unauthorized_client",
                 "not in cookie mode"),
                ("a forged handoff code", try await post(worker, "session", form: ["handoff_code": String(code.dropLast()) + "x"]), 400,
                 "invalid_grant", "handoff code is invalid"),
                ("no handoff code", try await post(worker, "session", form: ["x": "y"]), 400, "invalid_request", "handoff_code"),
                ("the token endpoint", try await worker.refresh(token, client: "spa"), 400, "unauthorized_client", "/browser/refresh"),
            ]
            for (name, response, status, error, description) in cases {
                #expect(response.status == status, "\(name): \(response.text)")
                #expect(response.error == error, "\(name): \(response.text)")
                #expect((response.json["error_description"] as? String)?.contains(description) == true, "\(name): \(response.text)")
            }
            // CORS headers go only to the client's origins.
            #expect(cases[1].1.headers["access-control-allow-origin"] == nil)
            expectCORS(cases[3].1)
            expectCORS(cases[6].1, origin: Self.otherOrigin)
            // Nothing changed: the first cookie is still the current one, and the worker answers on.
            let refreshed = try await post(worker, "refresh", cookie: token)
            #expect(refreshed.status == 200, "\(refreshed.text)")
            #expect(try await worker.get("/healthz").status == 200)
        }
    }

    @Test func aReusedHandoffCodeRevokesTheSession() async throws {
        try await withWorker { worker in
            let code = try await handoffCode(worker, try await clients(worker))
            let token = try cookie(of: try await post(worker, "session", form: ["handoff_code": code]))
            let again = try await post(worker, "session", form: ["handoff_code": code])
            #expect(again.status == 400 && again.error == "invalid_grant", "\(again.text)")
            #expect(again.headers["set-cookie"] == nil)
            let refresh = try await post(worker, "refresh", cookie: token)
            #expect(refresh.status == 400 && refresh.error == "invalid_grant", "the session died with the reused code")
            // Operators see the reuse: baton_handoff_outcomes_total counts every exchange by outcome.
            let metrics = try await worker.get("/metrics").text
            #expect(metrics.contains(#"baton_handoff_outcomes_total{outcome="delivered"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"baton_handoff_outcomes_total{outcome="handoff_used"} 1"#))
            #expect(metrics.contains(#"baton_handoff_outcomes_total{outcome="handoff_late"} 0"#))
        }
    }

    /// Two tabs refreshing with the same cookie at once both succeed, with the same successor (grace).
    @Test func twoTabsRefreshingAtOnceBothSucceed() async throws {
        try await withWorker { worker in
            let code = try await handoffCode(worker, try await clients(worker))
            let token = try cookie(of: try await post(worker, "session", form: ["handoff_code": code]))
            async let tabA = post(worker, "refresh", cookie: token)
            async let tabB = post(worker, "refresh", cookie: token)
            let (a, b) = try await (tabA, tabB)
            #expect(a.status == 200 && b.status == 200, "\(a.text) \(b.text)")
            #expect(try cookie(of: a) == cookie(of: b))
            #expect(try await post(worker, "refresh", cookie: try cookie(of: a)).status == 200)
        }
    }

    @Test func preflightsAnswerOnlyTheClientsOrigins() async throws {
        try await withWorker { worker in
            _ = try await clients(worker)
            func preflight(_ origin: String, client: String = "spa", method: String = "POST") async throws -> LoopbackHTTPResponse {
                try await LoopbackHTTPClient.send("OPTIONS", port: worker.port, path: "/browser/refresh?client_id=\(client)", headers: [
                    ("Origin", origin), ("Access-Control-Request-Method", method),
                    ("Access-Control-Request-Headers", "x-baton-csrf, content-type"),
                ])
            }
            let allowed = try await preflight(Self.origin)
            #expect(allowed.status == 204)
            expectCORS(allowed)
            #expect(allowed.headers["access-control-allow-methods"] == "POST")
            #expect(allowed.headers["access-control-allow-headers"] == "X-Baton-CSRF, DPoP, Content-Type")
            #expect(allowed.headers["access-control-max-age"] == "600")
            for refused in [try await preflight("https://evil.example"), try await preflight(Self.origin, client: "spa2"),
                            try await preflight(Self.origin, client: "app"), try await preflight(Self.origin, method: "DELETE")] {
                #expect(refused.status >= 400 && refused.status < 500, "\(refused.text)")
                #expect(refused.headers["access-control-allow-origin"] == nil)
            }
        }
    }

    @Test func cookieModeClientsAreConfiguredStrictly() async throws {
        try await withWorker { worker in
            _ = try await worker.standardClients()
            let cases = [
                (#"{"client_id":"a","public":true,"cookie_mode":true}"#, "cookie_mode needs allowed_origins"),
                (#"{"client_id":"b","public":true,"cookie_mode":true,"allowed_origins":["https://app.example/"]}"#, "without a path"),
                (#"{"client_id":"c","public":true,"cookie_mode":true,"allowed_origins":["http://app.example"]}"#, "must use https"),
                (#"{"client_id":"d","cookie_mode":true,"allowed_origins":["https://app.example"]}"#, "public browser clients"),
                (#"{"client_id":"e","public":true,"cookie_mode":true,"allowed_origins":["https://a.example","https://A.example"]}"#, "twice"),
                (#"{"client_id":"f","public":true,"cookie_mode":"yes","allowed_origins":["https://a.example"]}"#, "cookie_mode"),
            ]
            for (body, problem) in cases {
                let response = try await worker.admin("POST", "/admin/clients", json: body)
                #expect(response.status == 400, "\(body): \(response.text)")
                #expect((response.json["error_description"] as? String)?.contains(problem) == true, "\(body): \(response.text)")
            }
            let created = try await worker.admin(
                "POST", "/admin/clients", json: #"{"client_id":"ok","public":true,"cookie_mode":true,"allowed_origins":["HTTPS://App.Example:443"]}"#)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.text.contains(#""allowed_origins":["https:\/\/app.example"]"#) || created.text.contains(#""allowed_origins":["https://app.example"]"#),
                    "\(created.text)")
        }
    }
}
