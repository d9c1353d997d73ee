import BatonSystem
import Foundation

/// Debian's nginx as a plain child process on free loopback ports, with its own prefix
/// directory (configuration, pid file, logs) in a temporary directory; stopped by pid.
///
/// ```swift
/// let nginx = try await NginxServer.start(readyPath: "/healthz") { port, directory in
///     "events {} http { server { listen 127.0.0.1:\(port); location / { return 200; } } }"
/// }
/// await nginx.stop()
/// ```
///
/// Several origins, over TLS: `port` stays a plain-HTTP listener that answers the readiness probe,
/// the other servers listen on `extraPorts` (nginx binds every listener before it answers any).
///
/// ```swift
/// let nginx = try await NginxServer.start(readyPath: "/ready", extraPortCount: 2) { port, extra, directory in
///     let tls = try await SelfSignedCertificate.make(in: directory).nginxDirectives
///     return """
///     events {} http {
///         server { listen 127.0.0.1:\(port); location = /ready { return 200; } }
///         server { listen 127.0.0.1:\(extra[0]) ssl; \(tls) root \(directory)/app; }
///         server { listen 127.0.0.1:\(extra[1]) ssl; \(tls) return 200 'other site'; }
///     }
///     """
/// }
/// // https://127.0.0.1:\(nginx.extraPorts[0])/ and https://localhost:\(nginx.extraPorts[1])/
/// ```
public final class NginxServer: Sendable {
    /// The port the configuration was given to listen on (127.0.0.1) and answer `readyPath` on, over plain HTTP.
    public let port: Int
    /// More free loopback ports, as many as `start` was asked for, for the configuration's other listeners.
    public let extraPorts: [Int]
    /// nginx's standard output and error (where a configuration logging to /dev/stdout writes).
    public let outputPath: String
    /// The master process.
    public let master: ChildProcess
    /// The prefix directory: nginx.conf, the pid file, the error log and whatever the configuration
    /// put there (access logs, certificates, static files); removed by `stop`.
    public let directory: String

    private init(port: Int, extraPorts: [Int], outputPath: String, master: ChildProcess, directory: String) {
        self.port = port
        self.extraPorts = extraPorts
        self.outputPath = outputPath
        self.master = master
        self.directory = directory
    }

    /// Starts nginx with the configuration `configuration(port, directory)` returns (its pid file
    /// and error log go into `directory`) and waits until `GET readyPath` is answered as `isReady` says.
    public static func start(
        readyPath: String,
        isReady: @Sendable (LoopbackHTTPResponse) -> Bool = { $0.status == 200 },
        configuration: (_ port: Int, _ directory: String) async throws -> String
    ) async throws -> NginxServer {
        try await start(readyPath: readyPath, isReady: isReady, extraPortCount: 0) { port, _, directory in
            try await configuration(port, directory)
        }
    }

    /// Starts nginx with the configuration `configuration(port, extraPorts, directory)` returns,
    /// `extraPorts` being `extraPortCount` more free loopback ports, and waits until `GET readyPath`
    /// on `port` (plain HTTP) is answered as `isReady` says.
    public static func start(
        readyPath: String,
        isReady: @Sendable (LoopbackHTTPResponse) -> Bool = { $0.status == 200 },
        extraPortCount: Int,
        configuration: (_ port: Int, _ extraPorts: [Int], _ directory: String) async throws -> String
    ) async throws -> NginxServer {
        guard let binary = ChildProcess.executable(named: "nginx") else {
            throw LocalServerError("nginx not found: scripts/install-deps.sh installs it")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-nginx-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let master: ChildProcess
        let port: Int
        let extraPorts: [Int]
        let output = directory + "/output.log"
        do {
            port = try freeLoopbackPort()
            extraPorts = try (0..<extraPortCount).map { _ in try freeLoopbackPort() }
            try await configuration(port, extraPorts, directory).write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
            master = try ChildProcess.spawn(binary, [
                "-p", directory, "-c", directory + "/nginx.conf", "-e", directory + "/error.log",
                "-g", "daemon off; pid \(directory)/nginx.pid;",
            ], outputPath: output)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        let nginx = NginxServer(port: port, extraPorts: extraPorts, outputPath: output, master: master, directory: directory)
        for _ in 0..<500 {
            guard master.isRunning else {
                let logs = [output, directory + "/error.log"].compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }
                try? FileManager.default.removeItem(atPath: directory)
                throw LocalServerError("nginx exited at start: \(logs.joined(separator: "\n"))")
            }
            if let response = try? await LoopbackHTTPClient.send("GET", port: port, path: readyPath, timeout: .seconds(1)), isReady(response) {
                return nginx
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        await nginx.stop()
        throw LocalServerError("nginx did not answer GET \(readyPath) on port \(port)")
    }

    /// SIGTERM to the master, which stops its workers and exits; after 5 s, SIGKILL to those of
    /// `stragglers` (e.g. its workers, by pid) that are still its children, and to the master.
    /// Then removes the directory.
    public func stop(killingAfterwards stragglers: [pid_t] = []) async {
        await master.terminate(gracePeriod: .seconds(5)) {
            // A pid that is no longer the master's child may belong to another process by now.
            for pid in stragglers where (try? ProcessStat(pid: pid))?.parentPID == master.pid { kill(pid, SIGKILL) }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
