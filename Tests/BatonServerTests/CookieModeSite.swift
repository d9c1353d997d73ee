import BatonLocalServers
import Foundation
import Testing

/// A Baton worker behind nginx over HTTPS, as the README's cookie-mode deployments put it, for a
/// headless Chromium to use:
/// - the app (`https://127.0.0.1:A`) serves `examples/browser/` and passes `/browser/` to Baton
///   (Baton behind the app's own origin);
/// - Baton's own origin on the same site (`https://127.0.0.1:B`), all of it passed to Baton;
/// - a foreign origin on the same site (`https://127.0.0.1:C`) and a foreign site
///   (`https://localhost:D`), each serving an attacker's blank page and a self-submitting form.
/// The worker has a login backend and a cookie-mode client `spa` for the app's origin only.
struct CookieModeSite {
    let worker: TestWorker
    let nginx: NginxServer
    let clients: StandardClients

    var appOrigin: String { "https://127.0.0.1:\(nginx.extraPorts[0])" }
    var authOrigin: String { "https://127.0.0.1:\(nginx.extraPorts[1])" }
    var sameSiteAttacker: String { "https://127.0.0.1:\(nginx.extraPorts[2])" }
    var crossSiteAttacker: String { "https://localhost:\(nginx.extraPorts[3])" }
    /// The grace window of `spa` (s): short, so a test can wait past it.
    static let grace = 2

    /// Starts the worker, nginx and a browser; runs `body`; stops all three, whether it throws or not.
    static func with(_ body: (CookieModeSite, WebDriverSession) async throws -> Void) async throws {
        try await withWorker { worker in
            let nginx = try await NginxServer.start(readyPath: "/ready", extraPortCount: 4) { port, extra, directory in
                try writePages(into: directory)
                let certificate = try await SelfSignedCertificate.make(in: directory)
                return configuration(port: port, extra: extra, directory: directory, certificate: certificate, baton: worker.port)
            }
            do {
                let clients = try await worker.standardClients()
                try await worker.createClient("spa", json: """
                    "public":true,"allowed_scopes":["read"],"grace_period":\(grace),"cookie_mode":true,\
                    "allowed_origins":["https://127.0.0.1:\(nginx.extraPorts[0])"]
                    """)
                let site = CookieModeSite(worker: worker, nginx: nginx, clients: clients)
                try await WebDriverSession.with { browser in try await body(site, browser) }
            } catch {
                await nginx.stop()
                throw error
            }
            await nginx.stop()
        }
    }

    /// The login backend's part: a cookie-mode session of `spa` for `subject` (bound to `jkt` when
    /// given); returns its handoff code.
    func handoffCode(subject: String = "alice", jkt: String? = nil) async throws -> String {
        let binding = jkt.map { #","dpop_jkt":"\#($0)""# } ?? ""
        let response = try await worker.postJSON("/v1/sessions", #"{"sub":"\#(subject)","client_id":"spa","delivery":"cookie"\#(binding)}"#,
                                                 headers: [TestWorker.basic("login", clients.loginSecret)])
        guard response.status == 201, let code = response.json["handoff_code"] as? String else {
            throw LocalServerError("creating a cookie-mode session failed: \(response.status) \(response.text)")
        }
        return code
    }

    /// The app's page, with the handoff code in the fragment as a login redirect would put it;
    /// `baton` is Baton's origin when it is not the app's.
    func appPage(code: String? = nil, baton: String? = nil) -> String {
        appOrigin + "/index.html?client_id=spa" + (baton.map { "&baton=" + $0 } ?? "") + (code.map { "#handoff_code=" + $0 } ?? "")
    }

    /// Refreshes with `cookie` straight over HTTP, as an attacker holding a copy of it would (the
    /// page's `Origin` and CSRF header included, so only the token decides).
    func replay(_ cookie: String) async throws -> LoopbackHTTPResponse {
        try await LoopbackHTTPClient.send("POST", port: worker.port, path: "/browser/refresh?client_id=spa", headers: [
            ("Origin", appOrigin), ("X-Baton-CSRF", "1"), ("Cookie", "__Host-baton_rt=" + cookie),
        ])
    }

    /// The app's pages (`examples/browser/`) in `directory/app`; the attackers' in `directory/attacker`.
    private static func writePages(into directory: String) throws {
        let manager = FileManager.default
        try manager.copyItem(atPath: packageRoot + "/examples/browser", toPath: directory + "/app")
        try manager.createDirectory(atPath: directory + "/attacker", withIntermediateDirectories: true)
        try "<!doctype html><title>attacker</title>\n".write(toFile: directory + "/attacker/index.html", atomically: true, encoding: .utf8)
        try """
        <!doctype html><title>form</title>
        <form method="POST" enctype="application/x-www-form-urlencoded"><input name="scope" value="read"></form>
        <script>
        document.forms[0].action = decodeURIComponent(location.search.slice(1));
        document.forms[0].submit();
        </script>

        """.write(toFile: directory + "/attacker/post-form.html", atomically: true, encoding: .utf8)
    }

    private static func configuration(port: Int, extra: [Int], directory: String, certificate: SelfSignedCertificate,
                                      baton: Int) -> String {
        """
        worker_processes 1;
        events { worker_connections 64; }
        http {
            access_log \(directory)/access.log;
            types { text/html html; application/javascript js; }
            \(certificate.nginxDirectives)
            server {
                listen 127.0.0.1:\(port);
                location = /ready { return 200 ready; }
            }
            server {
                listen 127.0.0.1:\(extra[0]) ssl;
                root \(directory)/app;
                location /browser/ {
                    proxy_pass http://127.0.0.1:\(baton);
                    proxy_set_header Host $host;
                }
            }
            server {
                listen 127.0.0.1:\(extra[1]) ssl;
                location / {
                    proxy_pass http://127.0.0.1:\(baton);
                    proxy_set_header Host $host;
                }
            }
            server {
                listen 127.0.0.1:\(extra[2]) ssl;
                root \(directory)/attacker;
            }
            server {
                listen 127.0.0.1:\(extra[3]) ssl;
                root \(directory)/attacker;
            }
        }
        """
    }
}
