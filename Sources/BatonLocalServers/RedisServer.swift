import BatonSystem
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `redis-server` started on a free loopback port in a temporary directory, for tests
/// and benchmarks. It is stopped (and its directory removed) by `stop()`.
///
/// ```swift
/// let server = try await RedisServer.start()
/// defer { server.stop() }
/// let url = server.url   // "redis://127.0.0.1:40123"
/// ```
public final class RedisServer: @unchecked Sendable {
    /// The TCP port the server listens on (127.0.0.1).
    public let port: Int
    /// The directory holding the server's files (AOF, unix socket, log).
    public let directory: URL
    /// The password clients must send, if the server was started with one.
    public let password: String?
    /// The unix socket path the server also listens on.
    public var socketPath: String { directory.appendingPathComponent("redis.sock").path }
    /// `redis://` URL of the server.
    public var url: String {
        if let password { return "redis://:\(password)@127.0.0.1:\(port)" }
        return "redis://127.0.0.1:\(port)"
    }
    /// `unix://` URL of the server.
    public var unixURL: String { "unix://\(socketPath)" }
    /// The server's process id while it runs (for reading its CPU time from /proc), else nil.
    public var pid: pid_t? { lock.withLock { process?.pid } }

    private let lock = NSLock()
    private var process: ChildProcess?
    private let extraArguments: [String]
    private let configurationFile: String?

    private init(port: Int, directory: URL, password: String?, extraArguments: [String], configurationFile: String? = nil) {
        self.port = port
        self.directory = directory
        self.password = password
        self.extraArguments = extraArguments
        self.configurationFile = configurationFile
    }

    /// Starts a server and waits until it accepts connections.
    public static func start(
        password: String? = nil,
        appendOnly: Bool = false,
        extraArguments: [String] = []
    ) async throws -> RedisServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("baton-redis-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var arguments = extraArguments
        if appendOnly { arguments += ["--appendonly", "yes", "--appendfsync", "always"] }
        return try await launchOnAFreePort { port in
            RedisServer(port: port, directory: directory, password: password, extraArguments: arguments)
        }
    }

    /// Launches the server `make` describes on a free port; another process may take the port
    /// between the check and redis-server's bind, so a server that exits at start is tried again.
    private static func launchOnAFreePort(_ make: (Int) -> RedisServer) async throws -> RedisServer {
        for attempt in 1...3 {
            let server = make(try freeLoopbackPort())
            do {
                try await server.launch()
                return server
            } catch let error as LocalServerError where attempt < 3 && error.description.contains("exited at start") {
                continue
            }
        }
        preconditionFailure("the last attempt returns or throws")
    }

    /// Starts `redis-server` in Sentinel mode on a free port, with `configuration` (its `sentinel`
    /// lines) written to a file in its directory, which the sentinel rewrites as it learns.
    public static func startSentinel(configuration: String) async throws -> RedisServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("baton-sentinel-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("sentinel.conf").path
        try Data(configuration.utf8).write(to: URL(fileURLWithPath: file))
        return try await launchOnAFreePort { port in
            RedisServer(port: port, directory: directory, password: nil, extraArguments: ["--sentinel"], configurationFile: file)
        }
    }

    /// Starts the server process again on the same port and directory (after `kill()`).
    public func restart() async throws {
        try await launch()
    }

    /// Stops the server with SIGKILL, as a crash would, keeping its directory.
    public func kill() {
        lock.withLock {
            guard let process, process.isRunning else { return }
            process.signal(SIGKILL)
            process.waitForExitBlocking()
            self.process = nil
        }
    }

    /// Freezes the server (SIGSTOP): connections stay open but nothing is answered.
    public func pause() { signal(SIGSTOP) }

    /// Lets a paused server go on (SIGCONT).
    public func resume() { signal(SIGCONT) }

    /// Stops the server and removes its directory.
    public func stop() {
        resume()
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    private func signal(_ signal: Int32) {
        lock.withLock {
            if let process, process.isRunning { process.signal(signal) }
        }
    }

    private func launch() async throws {
        let executable = try Self.findExecutable("redis-server")
        var arguments = [
            "--port", String(port),
            "--bind", "127.0.0.1",
            "--unixsocket", socketPath,
            "--unixsocketperm", "700",
            "--dir", directory.path,
            "--save", "",
            "--daemonize", "no",
            "--logfile", directory.appendingPathComponent("redis.log").path,
        ]
        if let password { arguments += ["--requirepass", password] }
        let process = try ChildProcess.spawn(executable, (configurationFile.map { [$0] } ?? []) + arguments + extraArguments)
        lock.withLock { self.process = process }
        try await poll("redis-server to accept connections on port \(port)", timeout: .seconds(10), every: .milliseconds(20)) {
            guard lock.withLock({ self.process?.isRunning ?? false }) else {
                throw LocalServerError("redis-server exited at start; see \(directory.path)/redis.log")
            }
            return Self.canConnect(port: port) && FileManager.default.fileExists(atPath: socketPath)
        }
    }

    /// The path of `name` on `$PATH`, or an error that says how to install it.
    static func findExecutable(_ name: String) throws -> String {
        guard let path = ChildProcess.executable(named: name) else {
            throw LocalServerError("\(name) not found on PATH: run `make deps`")
        }
        return path
    }
}
