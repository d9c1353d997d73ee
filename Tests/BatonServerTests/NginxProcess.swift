import BatonSystem
import BatonServer
import BatonTesting
import Foundation

/// Debian's nginx running `docker/nginx.conf` in front of local workers: the same file the compose
/// stack mounts, with its `server baton-N:8080` lines pointed at `workerPorts` and its listen
/// port at a free loopback port; pid and startup log in a temporary directory.
final class NginxProcess: Sendable {
    static let binary = "/usr/sbin/nginx"

    /// The port nginx listens on (127.0.0.1).
    let port: Int
    /// Where nginx writes its access and error logs.
    let logPath: String
    private let process: ChildProcess
    private let directory: String

    private init(port: Int, logPath: String, process: ChildProcess, directory: String) {
        self.port = port
        self.logPath = logPath
        self.process = process
        self.directory = directory
    }

    /// `docker/nginx.conf` with its upstream servers and listen port replaced.
    static func configuration(workerPorts: [Int], port: Int) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var text = try String(contentsOf: root.appendingPathComponent("docker/nginx.conf"), encoding: .utf8)
        for (index, workerPort) in workerPorts.enumerated() {
            let name = "server baton-\(index + 1):8080"
            guard text.contains(name) else { throw TestFailure("docker/nginx.conf has no `\(name)` line") }
            text = text.replacingOccurrences(of: name, with: "server 127.0.0.1:\(workerPort)")
        }
        guard text.contains("listen 8080;") else { throw TestFailure("docker/nginx.conf has no `listen 8080;` line") }
        return text.replacingOccurrences(of: "listen 8080;", with: "listen 127.0.0.1:\(port);")
    }

    /// Starts nginx in front of `workerPorts` and waits until it answers `/healthz`.
    static func start(workerPorts: [Int]) async throws -> NginxProcess {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestFailure("\(binary) is missing: scripts/install-deps.sh installs nginx")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-nginx-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let port = try freeLoopbackPort()
        try configuration(workerPorts: workerPorts, port: port).write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
        let log = directory + "/nginx.log"
        let process = try ChildProcess.spawn(binary, [
            "-p", directory, "-c", directory + "/nginx.conf", "-e", directory + "/startup.log",
            "-g", "daemon off; pid \(directory)/nginx.pid;",
        ], outputPath: log)
        let nginx = NginxProcess(port: port, logPath: log, process: process, directory: directory)
        for _ in 0..<500 {
            guard process.isRunning else {
                let output = [log, directory + "/startup.log"].compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }
                throw TestFailure("nginx exited at start: \(output.joined(separator: "\n"))")
            }
            if let health = try? await HTTPTestClient.send("GET", port: port, path: "/healthz", timeout: .seconds(1)), health.status == 200 {
                return nginx
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        await nginx.stop()
        throw TestFailure("nginx did not answer /healthz")
    }

    /// Stops nginx (SIGTERM: fast shutdown) and removes its directory.
    func stop() async {
        process.signal(SIGTERM)
        for _ in 0..<500 where process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        process.signal(SIGKILL)
        await process.waitForExit()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
