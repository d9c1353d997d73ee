import Foundation

/// What `/proc/<pid>/stat` says about a process: its state, its parent and the CPU time it has
/// used, user plus system, over all its threads (Linux, `proc(5)`).
public struct ProcessStat: Sendable {
    /// The state letter: `R` running, `S` sleeping, `Z` zombie (exited, not yet reaped), ….
    public var state: Character
    /// The parent's pid.
    public var parentPID: pid_t
    /// User plus system CPU time in µs (the kernel counts it in clock ticks, usually 10 ms).
    public var cpuMicroseconds: Double
    /// The command name (`comm`).
    public var command: String
    /// Resident set size, KiB.
    public var residentKiB: Int

    /// Reads `/proc/<pid>/stat`.
    public init(pid: pid_t) throws {
        let path = "/proc/\(pid)/stat"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let nameEnd = text.lastIndex(of: ")")
        else { throw LocalServerError("cannot read \(path)") }
        // "<pid> (<comm>) <state> <ppid> … <utime> <stime> …": fields 3, 4, 14 and 15, counted
        // after the command name, which may itself hold spaces and parentheses.
        let fields = text[text.index(after: nameEnd)...].split(separator: " ")
        guard fields.count > 21, let state = fields[0].first, let parent = pid_t(fields[1]),
              let user = Double(fields[11]), let system = Double(fields[12]), let residentPages = Int(fields[21]),
              let nameStart = text.firstIndex(of: "(")
        else { throw LocalServerError("cannot parse \(path): \(text)") }
        self.command = String(text[text.index(after: nameStart)..<nameEnd])
        self.residentKiB = residentPages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
        self.state = state
        self.parentPID = parent
        self.cpuMicroseconds = (user + system) * 1e6 / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The pids of the running children of `parent`, found by scanning /proc.
    public static func children(of parent: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(pid_t.init).filter { (try? ProcessStat(pid: $0))?.parentPID == parent }
    }

    /// The pids of the live processes whose command line holds `text` (a zombie has none), found by scanning /proc.
    public static func processes(withCommandLineContaining text: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(pid_t.init).filter { pid in
            guard let commandLine = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: commandLine, as: UTF8.self).contains(text)
        }
    }

    /// Waits until the unreaped child `pid` has exited (is a zombie) and returns the CPU time it
    /// used in all, in µs: the figure is gone once the child is reaped.
    public static func cpuMicrosecondsAtExit(of pid: pid_t) async throws -> Double {
        while true {
            let stat = try ProcessStat(pid: pid)
            if stat.state == "Z" { return stat.cpuMicroseconds }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
