import BatonLocalServers
import Foundation
import Testing

/// No secret reaches a log line at any level: a worker's whole lifecycle (start, clients,
/// sessions, refreshes, introspection, revocation, cookie mode's handoff, refreshes and reused
/// code, a key rotation, graceful stop) logged at every level, as text and as JSON, holds neither
/// the admin token, the master secret, a client secret, a handoff code nor a refresh or access
/// token, in any of their spellings.
@Suite(.serialized) struct SecretsInLogsTests {
    private static let levels = ["trace", "debug", "info"]

    /// A secret's spellings a log may carry: as is, JSON-escaped (`/` as `\/`), and base64 as base64url.
    private func spellings(_ secret: String) -> [String] {
        [secret, secret.replacingOccurrences(of: "/", with: "\\/"),
         secret.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")]
    }

    @Test(arguments: levels, ["text", "json"])
    func aWholeLifecycleLogsNoSecret(level: String, format: String) async throws {
        var secrets: [String] = []
        var log = ""
        try await BatonServeProcesses.with(count: 1, extra: ["--log-level", level, "--log-format", format]) { cluster in
            secrets += [cluster.adminToken, cluster.masterSecret]
            let created = try await cluster.admin(0, "POST", "/admin/clients", json: #"{"client_id":"login","permissions":["sessions"]}"#)
            let loginSecret = try #require(created.json["client_secret"] as? String)
            _ = try await cluster.admin(0, "POST", "/admin/clients", json: #"{"client_id":"app","public":true}"#)
            secrets.append(loginSecret)
            let port = cluster.workers[0].port
            let session = try await LoopbackHTTPClient.send(
                "POST", port: port, path: "/v1/sessions",
                headers: [("Content-Type", "application/json"),
                          ("Authorization", "Basic " + Data("login:\(loginSecret)".utf8).base64EncodedString())],
                body: Array(#"{"sub":"alice","client_id":"app"}"#.utf8))
            var refresh = try #require(session.json["refresh_token"] as? String)
            secrets += [refresh, try #require(session.json["access_token"] as? String)]
            for _ in 0..<3 {
                let rotated = try await cluster.refresh(refresh, on: 0)
                refresh = try #require(rotated.json["refresh_token"] as? String)
                secrets += [refresh, try #require(rotated.json["access_token"] as? String)]
            }
            let form = [("Content-Type", "application/x-www-form-urlencoded")]
            _ = try await LoopbackHTTPClient.send("POST", port: port, path: "/oauth/introspect", headers: form,
                                                  body: Array("token=\(refresh)&client_id=app".utf8))
            _ = try await cluster.refresh("btr1.forged.token", on: 0)
            secrets += try await cookieMode(cluster, loginSecret: loginSecret)
            _ = try await cluster.admin(0, "POST", "/admin/keys/rotate", json: #"{"now":true}"#)
            _ = try await LoopbackHTTPClient.send("POST", port: port, path: "/oauth/revoke", headers: form,
                                                  body: Array("token=\(refresh)&client_id=app".utf8))
            _ = try await cluster.refresh(refresh, on: 0)  // a replay after revocation
            cluster.workers[0].process.signal(SIGTERM)
            await cluster.workers[0].process.waitForExit()
            log = try String(contentsOfFile: cluster.workers[0].logPath, encoding: .utf8)
        }
        #expect(log.contains("/browser/refresh"), "the cookie-mode requests were not logged")
        #expect(log.contains("listening"), "the log is empty or not this worker's: \(log.prefix(300))")
        if level != "info" { #expect(log.contains("debug") || log.contains("trace"), "no \(level) lines were logged") }
        for secret in secrets {
            // Computed apart, so that a failure names the secret's start and not the whole log.
            let leaked = spellings(secret).contains { log.contains($0) }
            #expect(!leaked, "a secret (\(secret.prefix(6))…) is in the \(level) \(format) log")
        }
    }

    /// A cookie-mode session: the handoff code exchanged twice (the second use revokes), refreshed
    /// through the cookie; returns the code, the cookies and the access tokens.
    private func cookieMode(_ cluster: BatonServeProcesses, loginSecret: String) async throws -> [String] {
        _ = try await cluster.admin(0, "POST", "/admin/clients",
                                    json: #"{"client_id":"spa","public":true,"cookie_mode":true,"allowed_origins":["https://app.example"]}"#)
        let port = cluster.workers[0].port
        let session = try await LoopbackHTTPClient.send(
            "POST", port: port, path: "/v1/sessions",
            headers: [("Content-Type", "application/json"),
                      ("Authorization", "Basic " + Data("login:\(loginSecret)".utf8).base64EncodedString())],
            body: Array(#"{"sub":"bob","client_id":"spa","delivery":"cookie"}"#.utf8))
        let code = try #require(session.json["handoff_code"] as? String)
        var secrets = [code, try #require(session.json["access_token"] as? String)]
        let page = [("Origin", "https://app.example"), ("X-Baton-CSRF", "1")]
        let form = [("Content-Type", "application/x-www-form-urlencoded")]
        let exchanged = try await LoopbackHTTPClient.send("POST", port: port, path: "/browser/session?client_id=spa", headers: page + form,
                                                          body: Array("handoff_code=\(code)".utf8))
        var cookie = try #require(exchanged.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        secrets += [String(cookie.dropFirst("__Host-baton_rt=".count)), try #require(exchanged.json["access_token"] as? String)]
        for _ in 0..<2 {
            let refreshed = try await LoopbackHTTPClient.send("POST", port: port, path: "/browser/refresh?client_id=spa",
                                                              headers: page + [("Cookie", cookie)])
            cookie = try #require(refreshed.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
            secrets += [String(cookie.dropFirst("__Host-baton_rt=".count)), try #require(refreshed.json["access_token"] as? String)]
        }
        let reused = try await LoopbackHTTPClient.send("POST", port: port, path: "/browser/session?client_id=spa", headers: page + form,
                                                       body: Array("handoff_code=\(code)".utf8))
        #expect(reused.status == 400)
        return secrets
    }
}
