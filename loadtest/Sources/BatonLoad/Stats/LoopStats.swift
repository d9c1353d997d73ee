import Histogram

/// The statistics of one event loop, touched only on that loop: no locks on the hot path. The
/// coordinator takes an interval once a second and the totals at the end.
final class LoopStats {
    private(set) var correctness = CorrectnessCounters()
    var activity = ActivityCounters()
    private var interval = IntervalSnapshot()
    private var operations = [OperationStats](repeating: OperationStats(), count: Operation.allCases.count)
    /// Requests the open-loop schedule wanted sent but that never were (the server fell behind).
    var unsent = 0
    /// The most recent transport error, for the summary.
    private(set) var lastTransportError: String?

    /// Records a measured response.
    @inline(__always)
    func record(_ operation: Operation, latencyNanoseconds: UInt64, verdict: Verdict) {
        interval.requests += 1
        LatencyHistogram.record(nanoseconds: latencyNanoseconds, in: &interval.latencies)
        LatencyHistogram.record(nanoseconds: latencyNanoseconds, in: &operations[operation.rawValue].latencies)
        operations[operation.rawValue].requests += 1
        if verdict.isFailure {
            interval.errors += 1
            operations[operation.rawValue].failures += 1
            correctness.count(verdict)
        }
    }

    /// Counts a correctness failure that is not the verdict of one response (storm rounds, verification).
    func count(_ update: (inout CorrectnessCounters) -> Void) {
        update(&correctness)
    }

    /// Counts a transport error.
    func recordTransportError(_ description: String) {
        interval.errors += 1
        correctness.transportErrors += 1
        lastTransportError = description
    }

    /// The interval since the last call, with the cumulative correctness counts.
    func takeInterval() -> IntervalSnapshot {
        var snapshot = interval
        snapshot.correctness = correctness
        interval.requests = 0
        interval.errors = 0
        interval.latencies.reset()
        return snapshot
    }

    /// The totals of the measured run; `verificationProblem` comes from the loop's JWKS verifier.
    func totals(verificationProblem: String?) -> LoopTotals {
        LoopTotals(operations: operations, correctness: correctness, activity: activity, unsent: unsent,
                   lastTransportError: lastTransportError, verificationProblem: verificationProblem)
    }

    /// Forgets everything counted so far (the end of the setup phase).
    func reset() {
        let sessions = activity.sessionsCreated
        correctness = CorrectnessCounters()
        activity = ActivityCounters()
        activity.sessionsCreated = sessions
        interval = IntervalSnapshot()
        operations = [OperationStats](repeating: OperationStats(), count: Operation.allCases.count)
        lastTransportError = nil
    }
}

/// One loop's totals, handed to the coordinator at the end.
struct LoopTotals: Sendable {
    var operations: [OperationStats]
    var correctness: CorrectnessCounters
    var activity: ActivityCounters
    var unsent: Int
    var lastTransportError: String?
    var verificationProblem: String?
}
