#if canImport(Glibc)
import Glibc
#endif

/// How the harness's event-loop threads are scheduled.
///
/// On a machine shared with the server, `batch` (Linux `SCHED_BATCH`) keeps the harness from
/// preempting a worker or Redis each time a response wakes it: it runs when they block or their
/// slice ends, and can then find several responses waiting. `normal` is the default policy.
public enum ThreadScheduling: String, Sendable, CaseIterable, Codable {
    case batch
    case normal

    /// `SCHED_BATCH` from <sched.h>: glibc only declares it with `_GNU_SOURCE`, which Swift's
    /// Glibc module does not set. Its value is part of the Linux ABI.
    private static let linuxBatchPolicy: Int32 = 3

    /// Applies the policy to the calling thread (nice value kept).
    public func applyToCurrentThread() throws {
        var parameters = sched_param()
        parameters.sched_priority = 0
        let policy = self == .batch ? Self.linuxBatchPolicy : SCHED_OTHER
        guard sched_setscheduler(0, policy, &parameters) == 0 else {
            throw LoadError.setup("cannot set the \(rawValue) scheduling policy: errno \(errno)")
        }
    }
}
