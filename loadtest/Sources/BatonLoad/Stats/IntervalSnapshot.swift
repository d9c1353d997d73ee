import Histogram

/// What one event loop did in one interval (about a second), handed to the coordinator.
struct IntervalSnapshot: Sendable {
    /// Responses received (any status).
    var requests = 0
    /// Responses judged as failures, plus transport errors.
    var errors = 0
    /// The latencies of the interval.
    var latencies = LatencyHistogram.make()
    /// Correctness counts so far (cumulative).
    var correctness = CorrectnessCounters()

    /// Adds another loop's interval.
    mutating func add(_ other: IntervalSnapshot) {
        requests += other.requests
        errors += other.errors
        latencies.add(other.latencies)
        correctness.add(other.correctness)
    }
}
