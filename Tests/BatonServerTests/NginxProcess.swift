import BatonLocalServers
import Foundation

/// Debian's nginx running `docker/nginx.conf` in front of local workers: the same file the compose
/// stack mounts, with its `server baton-N:8080` lines pointed at `workerPorts` and its listen
/// port at a free loopback port.
enum NginxProcess {
    /// `docker/nginx.conf` with its upstream servers and listen port replaced.
    static func configuration(workerPorts: [Int], port: Int) throws -> String {
        var text = try String(contentsOfFile: packageRoot + "/docker/nginx.conf", encoding: .utf8)
        for (index, workerPort) in workerPorts.enumerated() {
            let name = "server baton-\(index + 1):8080"
            guard text.contains(name) else { throw LocalServerError("docker/nginx.conf has no `\(name)` line") }
            text = text.replacingOccurrences(of: name, with: "server 127.0.0.1:\(workerPort)")
        }
        guard text.contains("listen 8080;") else { throw LocalServerError("docker/nginx.conf has no `listen 8080;` line") }
        return text.replacingOccurrences(of: "listen 8080;", with: "listen 127.0.0.1:\(port);")
    }

    /// Starts nginx in front of `workerPorts` and waits until it answers `/healthz`; its access
    /// log is in `outputPath`.
    static func start(workerPorts: [Int]) async throws -> NginxServer {
        try await NginxServer.start(readyPath: "/healthz") { port, _ in
            try configuration(workerPorts: workerPorts, port: port)
        }
    }
}
