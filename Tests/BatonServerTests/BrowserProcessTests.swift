import BatonLocalServers
import Foundation
import Testing

/// Cookie mode across real `baton` processes: a client made with `baton clients add --cookie-mode
/// --allowed-origin`, its handoff code exchanged at one worker, the cookie rotated at another,
/// the code's second use refused by a third request at the other worker (the single use holds
/// across workers), and the CLI refusing cookie mode without an origin.
@Suite struct BrowserProcessTests {
    @Test func aCookieSessionMovesBetweenWorkers() async throws {
        try await BatonServeProcesses.with(count: 2) { cluster in
            let loginSecret = try await cluster.standardClients()
            let refused = try await cluster.cli(["clients", "add", "spa", "--public", "--cookie-mode"])
            #expect(refused.status != 0)
            #expect(refused.output.contains("cookie_mode needs allowed_origins"), "\(refused.output)")
            let spa = try await cluster.cli(["clients", "add", "spa", "--public", "--scope", "read", "--cookie-mode",
                                             "--allowed-origin", "https://App.Example:443"])
            #expect(spa.status == 0, "\(spa.output)")
            #expect(spa.output.contains("cookie_mode:   on, origins https://app.example"), "\(spa.output)")

            let created = try await LoopbackHTTPClient.send(
                "POST", port: cluster.workers[0].port, path: "/v1/sessions",
                headers: [("Content-Type", "application/json"),
                          ("Authorization", "Basic " + Data("login:\(loginSecret)".utf8).base64EncodedString())],
                body: Array(#"{"sub":"alice","client_id":"spa","delivery":"cookie"}"#.utf8))
            let code = try #require(created.json["handoff_code"] as? String, "\(created.text)")
            let page = [("Origin", "https://app.example"), ("X-Baton-CSRF", "1")]
            func post(_ route: String, on index: Int, cookie: String? = nil, body: String = "") async throws -> LoopbackHTTPResponse {
                var headers = page
                if let cookie { headers.append(("Cookie", "__Host-baton_rt=" + cookie)) }
                if !body.isEmpty { headers.append(("Content-Type", "application/x-www-form-urlencoded")) }
                return try await LoopbackHTTPClient.send("POST", port: cluster.workers[index].port, path: "/browser/\(route)?client_id=spa",
                                                         headers: headers, body: Array(body.utf8))
            }
            func cookie(_ response: LoopbackHTTPResponse) throws -> String {
                let header = try #require(response.headers["set-cookie"], "\(response.text)")
                return String(try #require(header.split(separator: ";").first).dropFirst("__Host-baton_rt=".count))
            }
            let exchanged = try await post("session", on: 1, body: "handoff_code=" + code)
            #expect(exchanged.status == 200, "\(exchanged.text)")
            var token = try cookie(exchanged)
            for index in [0, 1, 0] {
                let refreshed = try await post("refresh", on: index, cookie: token)
                #expect(refreshed.status == 200, "\(refreshed.text)")
                token = try cookie(refreshed)
            }
            let reused = try await post("session", on: 0, body: "handoff_code=" + code)
            #expect(reused.status == 400 && reused.error == "invalid_grant", "\(reused.text)")
            let afterReuse = try await post("refresh", on: 1, cookie: token)
            #expect(afterReuse.status == 400 && afterReuse.error == "invalid_grant", "the reused code did not end the session")
        }
    }
}
