import BatonLocalServers
import Foundation

/// What the server tests ask of workers beyond the shared fixture: the keys they sign with, the
/// standard clients, sessions, refreshes and memory.
extension BatonServeProcesses {
    /// The kid each worker signs with now (from `/readyz`).
    func activeKeyIDs() async throws -> [String] {
        var ids: [String] = []
        for worker in workers {
            let ready = try await LoopbackHTTPClient.send("GET", port: worker.port, path: "/readyz")
            ids.append(ready.json["active_kid"] as? String ?? "")
        }
        return ids
    }

    /// Creates the `login` (sessions permission) and public `app` clients; returns login's secret.
    func standardClients() async throws -> String {
        let login = try await cli(["clients", "add", "login", "--permission", "sessions"])
        guard login.status == 0, let secret = login.output.split(separator: "\n").first(where: { $0.hasPrefix("client_secret:") })?
            .split(separator: " ")[1] else { throw LocalServerError("no client secret in: \(login.output)") }
        let app = try await cli(["clients", "add", "app", "--public"])
        guard app.status == 0 else { throw LocalServerError("adding the app client failed: \(app.output)") }
        return String(secret)
    }

    /// Creates a session for `subject` on worker `index`; returns its refresh token. A 503 (Redis
    /// slow to answer on a loaded machine) is retried, as a login backend would.
    func createSession(_ subject: String, loginSecret: String, on index: Int = 0) async throws -> String {
        for attempt in 1...3 {
            let response = try await LoopbackHTTPClient.send(
                "POST", port: workers[index].port, path: "/v1/sessions",
                headers: [("Content-Type", "application/json"),
                          ("Authorization", "Basic " + Data("login:\(loginSecret)".utf8).base64EncodedString())],
                body: Array(#"{"sub":"\#(subject)","client_id":"app"}"#.utf8))
            if let token = response.json["refresh_token"] as? String { return token }
            guard response.status == 503, attempt < 3 else {
                let log = (try? String(contentsOfFile: workers[index].logPath, encoding: .utf8)) ?? ""
                throw LocalServerError("no session: \(response.text); worker log ends:\n\(log.split(separator: "\n").suffix(8).joined(separator: "\n"))")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw LocalServerError("no session")
    }

    /// Presents a refresh token to worker `index` as the `app` client.
    func refresh(_ token: String, on index: Int, timeout: Duration = .seconds(5)) async throws -> LoopbackHTTPResponse {
        try await LoopbackHTTPClient.send("POST", port: workers[index].port, path: "/oauth/token",
                                      headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                      body: Array("grant_type=refresh_token&client_id=app&refresh_token=\(token)".utf8),
                                      timeout: timeout)
    }

    /// Resident memory of worker `index` in KiB.
    func residentKiB(_ index: Int) -> Int {
        (try? ProcessStat(pid: workers[index].process.pid))?.residentKiB ?? 0
    }
}
