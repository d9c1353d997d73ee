import BatonLocalServers
import Foundation

/// nginx serving three HTTPS origins to a headless Chromium, to learn what the browser does with a
/// `__Host-` cookie: the app (`https://127.0.0.1:A`), which sets the cookie and echoes the cookies
/// it receives; a same-site origin on another port (`https://127.0.0.1:B`); a cross-site origin
/// (`https://localhost:C`). All three serve the same static pages; every request is logged with
/// its cookies, `Origin` and `Sec-Fetch-Site`.
struct CookieSites {
    /// One request as nginx logged it; a header that was not sent is nil.
    struct LoggedRequest: Equatable {
        var port: Int
        var method: String
        var path: String
        var cookie: String?
        var origin: String?
        var fetchSite: String?
    }

    /// The cookie under test, which the app sets at `/set-cookie`.
    static let strictCookie = "__Host-t=1; Path=/; Secure; HttpOnly; SameSite=Strict"
    /// A control the app sets next to it: the same but `SameSite=None`. Where it arrives and the
    /// strict one does not, the request did carry cookies and `SameSite` kept the strict one back.
    static let controlCookie = "__Host-none=1; Path=/; Secure; HttpOnly; SameSite=None"

    let nginx: NginxServer

    /// Sets both cookies at `/set-cookie`; answers `cookie=[<Cookie header>]` at `/echo` (any method),
    /// readable by any origin that sends credentials (CORS reflects its `Origin`).
    var appOrigin: String { "https://127.0.0.1:\(nginx.extraPorts[0])" }
    /// Another port of the app's host: cross-origin but same-site.
    var sameSiteOrigin: String { "https://127.0.0.1:\(nginx.extraPorts[1])" }
    /// Another site: `localhost` is not `127.0.0.1`.
    var crossSiteOrigin: String { "https://localhost:\(nginx.extraPorts[2])" }

    /// Starts nginx and a browser, runs `body` and stops both, whether `body` throws or not.
    static func with(_ body: (CookieSites, WebDriverSession) async throws -> Void) async throws {
        let nginx = try await NginxServer.start(readyPath: "/ready", extraPortCount: 3) { port, extraPorts, directory in
            try writePages(into: directory + "/pages")
            let certificate = try await SelfSignedCertificate.make(in: directory)
            return configuration(port: port, extraPorts: extraPorts, directory: directory, certificate: certificate)
        }
        do {
            try await WebDriverSession.with { browser in try await body(CookieSites(nginx: nginx), browser) }
        } catch {
            await nginx.stop()
            throw error
        }
        await nginx.stop()
    }

    /// Every request nginx has logged so far, the readiness probes left out.
    func requests() throws -> [LoggedRequest] {
        try String(contentsOfFile: nginx.directory + "/access.log", encoding: .utf8).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0 == "-" ? nil : String($0) }
            guard fields.count == 6, let port = fields[0].flatMap({ Int($0) }), port != nginx.port else { return nil }
            return LoggedRequest(port: port, method: fields[1] ?? "", path: fields[2] ?? "", cookie: fields[3], origin: fields[4],
                                 fetchSite: fields[5])
        }
    }

    /// `index.html` (title `page`) and `post-form.html`, whose form posts itself to the URL in its
    /// query string as soon as it loads (`post-form.html?https://…/echo`).
    private static func writePages(into directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "<!doctype html><title>page</title><p>a page</p>\n".write(toFile: directory + "/index.html", atomically: true, encoding: .utf8)
        try """
        <!doctype html><title>form</title>
        <form method="POST"><input name="field" value="1"></form>
        <script>
        const form = document.forms[0];
        form.action = decodeURIComponent(location.search.slice(1));
        form.submit();
        </script>

        """.write(toFile: directory + "/post-form.html", atomically: true, encoding: .utf8)
    }

    private static func configuration(port: Int, extraPorts: [Int], directory: String, certificate: SelfSignedCertificate) -> String {
        """
        worker_processes 1;
        events { worker_connections 64; }
        http {
            log_format cookies '$server_port\t$request_method\t$uri\t$http_cookie\t$http_origin\t$http_sec_fetch_site';
            access_log \(directory)/access.log cookies;
            default_type text/html;
            \(certificate.nginxDirectives)
            server {
                listen 127.0.0.1:\(port);
                location = /ready { return 200 ready; }
            }
            server {
                listen 127.0.0.1:\(extraPorts[0]) ssl;
                root \(directory)/pages;
                location = /set-cookie {
                    add_header Set-Cookie "\(strictCookie)";
                    add_header Set-Cookie "\(controlCookie)";
                    return 200 "set\\n";
                }
                location = /echo {
                    default_type text/plain;
                    add_header Access-Control-Allow-Origin $http_origin;
                    add_header Access-Control-Allow-Credentials true;
                    return 200 "cookie=[$http_cookie]";
                }
            }
            server {
                listen 127.0.0.1:\(extraPorts[1]) ssl;
                root \(directory)/pages;
            }
            server {
                listen 127.0.0.1:\(extraPorts[2]) ssl;
                root \(directory)/pages;
            }
        }
        """
    }
}
