import ArgumentParser
import BatonSystem
import BatonTesting
import Foundation

/// Debian's nginx with one worker process answering every request to `path` with a fixed JSON
/// body, as a plain child process with its own prefix, config, pid file and error log in a
/// temporary directory: the machine's HTTP limit, with nothing of Baton in the way.
///
/// ```swift
/// let nginx = try await StaticNginx.start(body: #"{"ok":true}"#)
/// // wrk http://127.0.0.1:\(nginx.port)\(StaticNginx.path)
/// await nginx.stop()
/// ```
final class StaticNginx: Sendable {
    /// The one location served.
    static let path = "/oauth/token"

    /// The port nginx listens on (127.0.0.1).
    let port: Int
    /// The worker process's pid (the master only supervises it).
    let workerPID: pid_t
    private let master: ChildProcess
    private let directory: String

    private init(port: Int, workerPID: pid_t, master: ChildProcess, directory: String) {
        self.port = port
        self.workerPID = workerPID
        self.master = master
        self.directory = directory
    }

    /// The configuration: one worker, no access log, `body` with `Content-Type: application/json`
    /// and `Cache-Control: no-store` (as a token response, RFC 6749 §5.1), connections kept alive
    /// for as many requests as a client sends.
    private static func configuration(port: Int, directory: String, body: String) throws -> String {
        guard !body.contains("'"), !body.contains("$"), !body.contains("\\") else {
            throw ValidationError("the body must not hold ', $ or \\ (nginx would read them in its string)")
        }
        return """
            worker_processes 1;
            error_log \(directory)/error.log warn;
            pid \(directory)/nginx.pid;
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
        guard let binary = ChildProcess.executable(named: "nginx") else {
            throw ValidationError("nginx not found: scripts/install-deps.sh installs it")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-nginx-\(UUID().uuidString.prefix(8))").path
        let port = try freeLoopbackPort()
        let text = try configuration(port: port, directory: directory, body: body)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try text.write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
        let master = try ChildProcess.spawn(binary, [
            "-p", directory, "-c", directory + "/nginx.conf", "-e", directory + "/error.log", "-g", "daemon off;",
        ], outputPath: directory + "/output.log")
        var workers: [pid_t] = []
        for _ in 0..<250 where workers.isEmpty {
            guard master.isRunning else {
                let log = (try? String(contentsOfFile: directory + "/error.log", encoding: .utf8)) ?? ""
                try? FileManager.default.removeItem(atPath: directory)
                throw ValidationError("nginx exited at start: \(log)")
            }
            if let response = try? await HTTPTestClient.send("GET", port: port, path: path, timeout: .seconds(1)),
               response.status == 200, response.text == body {
                workers = ProcessStat.children(of: master.pid)
            } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let nginx = StaticNginx(port: port, workerPID: workers.first ?? 0, master: master, directory: directory)
        guard workers.count == 1 else {
            await nginx.stop()
            throw ValidationError("nginx did not answer on port \(port) with one worker (workers: \(workers))")
        }
        return nginx
    }

    /// Stops nginx: SIGTERM to the master, which stops its worker and then exits; if it is still
    /// there after 5 s, SIGKILL to the worker and the master, by pid. Then removes the directory.
    func stop() async {
        master.signal(SIGTERM)
        for _ in 0..<500 where master.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        if master.isRunning {
            if workerPID > 0, (try? ProcessStat(pid: workerPID))?.parentPID == master.pid { kill(workerPID, SIGKILL) }
            master.signal(SIGKILL)
            await master.waitForExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
