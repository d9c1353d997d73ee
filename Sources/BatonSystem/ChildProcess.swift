import Foundation
import Synchronization

/// A child process started with `posix_spawn` and a clean signal state. (Foundation's `Process`
/// lets the child inherit the spawning thread's blocked signals: a redis-server started from a
/// concurrency thread would never see SIGTERM.)
public final class ChildProcess: Sendable {
    /// The child's process id.
    public let pid: pid_t
    private let status = Mutex<Int32?>(nil)

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// Starts `executable` with `arguments` and this process's environment plus `environment`;
    /// its output goes to `outputPath` (nil: this process's standard output and error). With
    /// `ownProcessGroup` the child leads a new process group (its pid is the group id), which its
    /// own children join: `kill(-pid, …)` then reaches them all and never this process.
    public static func spawn(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                             outputPath: String? = "/dev/null", ownProcessGroup: Bool = false) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let outputPath {
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        // Nothing else of this process reaches the child: a descriptor opened without O_CLOEXEC (a
        // pipe, a socket) would otherwise live on in it, and its peer would never see it close.
        _ = closeFrom.map { $0(&actions, 3) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw SystemError("cannot start \(executable): \(String(cString: strerror(result)))") }
        return ChildProcess(pid: pid)
    }

    /// The path of an executable found on `$PATH` (or in the sbin and local directories), or nil.
    public static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/bin", "/usr/bin"]
        return directories.map { $0 + "/" + name }.first { access($0, X_OK) == 0 }
    }

    /// Sends a signal to the child.
    public func signal(_ signal: Int32) {
        if status.withLock({ $0 }) == nil { kill(pid, signal) }
    }

    /// Whether the child has not exited yet.
    public var isRunning: Bool {
        if status.withLock({ $0 }) != nil { return false }
        var raw: Int32 = 0
        let reaped = waitpid(pid, &raw, WNOHANG)
        guard reaped == pid else { return reaped == 0 }
        status.withLock { $0 = raw }
        return false
    }

    /// Waits until the child exits, blocking this thread (for a child just sent SIGKILL, or in
    /// synchronous cleanup); returns its wait status.
    @discardableResult
    public func waitForExitBlocking() -> Int32 {
        while isRunning { usleep(1_000) }
        return status.withLock { $0 } ?? -1
    }

    /// The exit code of a wait status (128 + the signal for a child killed by one).
    public static func exitCode(_ status: Int32) -> Int32 {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// Waits until the child exits (polling, never blocking a thread); returns its wait status.
    @discardableResult
    public func waitForExit(pollEvery interval: Duration = .milliseconds(10)) async -> Int32 {
        while isRunning { try? await Task.sleep(for: interval) }
        return status.withLock { $0 } ?? -1
    }

    /// Asks the child to stop (SIGTERM) and gives it `gracePeriod` to exit; if it is still
    /// running then, calls `beforeKill` (e.g. to kill processes of its own) and sends SIGKILL.
    /// Returns its wait status.
    @discardableResult
    public func terminate(gracePeriod: Duration, beforeKill: () -> Void = {}) async -> Int32 {
        signal(SIGTERM)
        let deadline = ContinuousClock.now + gracePeriod
        while isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        if isRunning {
            beforeKill()
            signal(SIGKILL)
        }
        return await waitForExit()
    }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module
/// does not declare: looked up once at run time, nil where the C library lacks it.
private let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? =
    dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }
