/// One second of a run, for the timeline and the plot.
public struct TimelinePoint: Sendable, Codable, Equatable {
    /// Seconds since the measured phase started, at the end of the interval.
    public var t: Double
    /// Responses received in the interval.
    public var requests: Int
    /// Failures (judged responses and transport errors) in the interval.
    public var errors: Int
    /// Requests per second over the interval.
    public var throughput: Double
    /// Median latency of the interval (ms).
    public var p50: Double
    /// 99th percentile latency of the interval (ms).
    public var p99: Double

    /// A point.
    public init(t: Double, requests: Int, errors: Int, throughput: Double, p50: Double, p99: Double) {
        self.t = t
        self.requests = requests
        self.errors = errors
        self.throughput = throughput
        self.p50 = p50
        self.p99 = p99
    }
}
