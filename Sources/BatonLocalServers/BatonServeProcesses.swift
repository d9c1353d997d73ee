import BatonSystem
import Foundation

/// The package's root directory (this file is `Sources/BatonTesting/…`).
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// An executable this package built: `$variable` when set, else the debug build's `name`.
public func builtExecutable(_ name: String, overriddenBy variable: String) -> String {
    ProcessInfo.processInfo.environment[variable] ?? packageRoot + "/.build/debug/" + name
}

/// Waits (up to 20 s) until the Baton process `child` answers `GET /readyz` on `port` with 200;
/// throws with its log at `logPath` if it exits first.
public func waitUntilReady(port: Int, _ child: ChildProcess, logPath: String) async throws {
    for _ in 0..<1000 {
        guard child.isRunning else {
            let status = ChildProcess.exitCode(await child.waitForExit())
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw LocalServerError("baton exited at start with status \(status): \(log)")
        }
        if let ready = try? await LoopbackHTTPClient.send("GET", port: port, path: "/readyz", timeout: .seconds(1)), ready.status == 200 {
            return
        }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw LocalServerError("baton on port \(port) did not become ready")
}

/// `baton serve` processes on free loopback ports sharing one redis-server, each started with the
/// same `arguments` (master secret, admin token, ...), as a platform team runs workers behind a
/// load balancer. Stopped by pid.
public final class BatonServeProcesses: Sendable {
    public struct Worker: Sendable {
        public let port: Int
        public let process: ChildProcess
        public let logPath: String
    }

    public let redis: RedisServer
    /// The workers' data directory, which also holds their logs.
    public let directory: String
    public let workers: [Worker]

    private init(redis: RedisServer, directory: String, workers: [Worker]) {
        self.redis = redis
        self.directory = directory
        self.workers = workers
    }

    /// Starts a redis-server (append-only if asked) and `count` workers of `binary` on it, and
    /// waits until every worker is ready.
    public static func start(count: Int, binary: String, arguments: [String], appendOnly: Bool = false) async throws
        -> BatonServeProcesses {
        let redis = try await RedisServer.start(appendOnly: appendOnly)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-workers-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var workers: [Worker] = []
        for index in 0..<count {
            let port = try freeLoopbackPort()
            let log = "\(directory)/worker-\(index).log"
            let process = try ChildProcess.spawn(binary, [
                "serve", "--port", String(port), "--redis", redis.url, "--data-dir", directory,
            ] + arguments, outputPath: log)
            workers.append(Worker(port: port, process: process, logPath: log))
        }
        let processes = BatonServeProcesses(redis: redis, directory: directory, workers: workers)
        do {
            for worker in workers { try await waitUntilReady(port: worker.port, worker.process, logPath: worker.logPath) }
        } catch {
            await processes.stop()
            throw error
        }
        return processes
    }

    /// Stops every worker (SIGTERM, after 5 s SIGKILL) and the redis-server, and removes the directory.
    public func stop() async {
        for worker in workers { worker.process.signal(SIGTERM) }  // all drain at once
        for worker in workers { await worker.process.terminate(gracePeriod: .seconds(5)) }
        redis.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
