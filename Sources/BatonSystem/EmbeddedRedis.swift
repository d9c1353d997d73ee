import Foundation
import Logging
import Synchronization

/// The embedded default: a private `redis-server` in the data directory (unix socket only, AOF
/// on), started, watched and restarted if it dies, and stopped with the worker.
public final class EmbeddedRedis: Sendable {
    /// The directory holding the socket, the AOF and the log.
    public let dataDirectory: String
    /// The `unix://` URL workers connect to.
    public var url: String { "unix://" + socketPath }
    /// The socket path.
    public var socketPath: String { dataDirectory + "/redis.sock" }

    private let executable: String
    private let logger: Logger
    private let process = Mutex<ChildProcess?>(nil)
    private let stopping = Atomic<Bool>(false)

    private init(dataDirectory: String, executable: String, logger: Logger) {
        self.dataDirectory = dataDirectory
        self.executable = executable
        self.logger = logger
    }

    /// Starts redis-server in `dataDirectory` (created if needed) and waits until it answers.
    public static func start(dataDirectory: String, logger: Logger) async throws -> EmbeddedRedis {
        let directory = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        // A directory that already existed (a volume, `mkdir data`) may be open to others: the AOF
        // holds every family and client, so only the owner may enter it.
        guard chmod(directory, 0o700) == 0 else {
            throw SystemError("cannot restrict the data directory \(directory) to its owner (chmod 0700: \(String(cString: strerror(errno)))); fix its ownership or choose another --data-dir")
        }
        guard (directory + "/redis.sock").utf8.count < 100 else {
            throw SystemError("the data directory path is too long for a unix socket: \(directory)")
        }
        guard let executable = ChildProcess.executable(named: "redis-server") else {
            throw SystemError("redis-server is not installed: run `make deps` (or `apt-get install redis-server`), or pass --redis URL")
        }
        let redis = EmbeddedRedis(dataDirectory: directory, executable: executable, logger: logger)
        redis.stopLeftover()
        try await redis.launch()
        return redis
    }

    /// Stops the server (SIGTERM, so it finishes its AOF), waiting up to 10 s before SIGKILL.
    public func stop() async {
        stopping.store(true, ordering: .relaxed)
        guard let running = process.withLock({ $0 }), running.isRunning else { return }
        await running.terminate(gracePeriod: .seconds(10))
    }

    private func launch() async throws {
        try? FileManager.default.removeItem(atPath: socketPath)
        // redis-server has no setting for its files' modes: it inherits its parent's umask. A shell
        // sets 077 for it alone and execs it (the same pid), so the AOF, its directory and the log are
        // the owner's only, and this process's umask (which every file it creates inherits) stays.
        let child = try ChildProcess.spawn("/bin/sh", [
            "-c", "umask 077 && exec \"$0\" \"$@\"", executable,
            "--port", "0",
            "--unixsocket", socketPath, "--unixsocketperm", "700",
            "--dir", dataDirectory,
            "--appendonly", "yes", "--appendfsync", "everysec",
            "--save", "",
            "--daemonize", "no",
            "--pidfile", dataDirectory + "/redis.pid",
            "--logfile", dataDirectory + "/redis.log",
        ])
        process.withLock { $0 = child }
        for _ in 0..<1000 {
            if FileManager.default.fileExists(atPath: socketPath) {
                logger.info("embedded redis-server started", metadata: ["redis.socket": "\(socketPath)", "pid": "\(child.pid)"])
                Task { await self.supervise(child) }
                return
            }
            guard child.isRunning else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw SystemError("the embedded redis-server did not start; see \(dataDirectory)/redis.log")
    }

    /// Restarts the server if it exits while the worker still runs.
    private func supervise(_ child: ChildProcess) async {
        let status = await child.waitForExit(pollEvery: .milliseconds(100))
        guard !stopping.load(ordering: .relaxed) else { return }
        logger.error("embedded redis-server exited; restarting it", metadata: ["status": "\(status)"])
        try? await Task.sleep(for: .milliseconds(200))
        guard !stopping.load(ordering: .relaxed) else { return }
        do { try await launch() } catch { logger.critical("cannot restart redis-server: \(error)") }
    }

    /// A redis-server left running by a worker that was killed holds the data directory: stop it.
    private func stopLeftover() {
        guard let text = try? String(contentsOfFile: dataDirectory + "/redis.pid", encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let command = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8),
              command.contains("redis-server"), command.contains(socketPath) || command.contains(dataDirectory)
        else { return }
        logger.warning("stopping a redis-server left over in the data directory", metadata: ["pid": "\(pid)"])
        kill(pid, SIGTERM)
        for _ in 0..<500 where kill(pid, 0) == 0 { usleep(10_000) }
    }
}
