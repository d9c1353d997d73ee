import ArgumentParser
import BatonSystem
import BatonLocalServers
import Foundation

/// nginx with one worker process answering every request to `path` with a fixed JSON body: the
/// machine's HTTP limit, with nothing of Baton in the way.
///
/// ```swift
/// let nginx = try await StaticNginx.start(body: #"{"ok":true}"#)
/// // wrk http://127.0.0.1:\(nginx.port)\(StaticNginx.path)
/// await nginx.stop()
/// ```
struct StaticNginx: Sendable {
    /// The one location served.
    static let path = "/oauth/token"

    private let server: NginxServer
    /// The worker process's pid (the master only supervises it).
    let workerPID: pid_t

    /// The port nginx listens on (127.0.0.1).
    var port: Int { server.port }

    /// The configuration: one worker, no access log, `body` with `Content-Type: application/json`
    /// and `Cache-Control: no-store` (as a token response, RFC 6749 §5.1), connections kept alive
    /// for as many requests as a client sends.
    private static func configuration(port: Int, body: String) -> String {
        """
        worker_processes 1;
        events { worker_connections 1024; }
        http {
            access_log off;
            keepalive_requests 100000000;
            server {
                listen 127.0.0.1:\(port);
                location = \(path) {
                    default_type application/json;
                    add_header Cache-Control no-store;
                    return 200 '\(body)';
                }
            }
        }
        """
    }

    /// Starts nginx, waits until it answers with `body` and finds its worker.
    static func start(body: String) async throws -> StaticNginx {
        guard !body.contains("'"), !body.contains("$"), !body.contains("\\") else {
            throw ValidationError("the body must not hold ', $ or \\ (nginx would read them in its string)")
        }
        let server = try await NginxServer.start(readyPath: path, isReady: { $0.status == 200 && $0.text == body }) { port, _ in
            configuration(port: port, body: body)
        }
        let workers = ProcessStat.children(of: server.master.pid)
        guard workers.count == 1 else {
            await server.stop(killingAfterwards: workers)
            throw ValidationError("nginx did not run exactly one worker (workers: \(workers))")
        }
        return StaticNginx(server: server, workerPID: workers[0])
    }

    /// Stops nginx (its worker by pid too, if the master does not stop it in time).
    func stop() async {
        await server.stop(killingAfterwards: [workerPID])
    }
}
