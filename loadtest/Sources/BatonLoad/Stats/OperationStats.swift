import Histogram

/// Requests, failures and latencies of one operation over the whole measured run.
public struct OperationStats: Sendable {
    /// Responses received.
    public var requests = 0
    /// Responses judged as failures.
    public var failures = 0
    /// Their latencies.
    public var latencies = LatencyHistogram.make()

    /// Adds another loop's counts.
    public mutating func add(_ other: OperationStats) {
        requests += other.requests
        failures += other.failures
        latencies.add(other.latencies)
    }
}
