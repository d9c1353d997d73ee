/// Turns the merged interval snapshots into the per-second timeline.
struct TimelineRecorder {
    private let start: UInt64
    private var last: UInt64
    /// The points so far.
    private(set) var points: [TimelinePoint] = []
    /// Responses so far.
    private(set) var total = 0

    /// A timeline of a measured phase that started at `start` (monotonic nanoseconds).
    init(start: UInt64) {
        self.start = start
        self.last = start
    }

    /// Adds the interval that ended at `now`; a `partial` last interval shorter than 50 ms with
    /// nothing in it is dropped.
    mutating func add(_ interval: IntervalSnapshot, at now: UInt64, partial: Bool = false) {
        let length = Double(now &- last) / 1e9
        defer { last = now }
        if partial && length < 0.05 && interval.requests == 0 { return }
        total += interval.requests
        points.append(TimelinePoint(
            t: (Double(now &- start) / 1e9 * 1_000).rounded() / 1_000, requests: interval.requests, errors: interval.errors,
            throughput: length > 0 ? (Double(interval.requests) / length).rounded() : 0,
            p50: LatencyHistogram.milliseconds(interval.latencies, percentile: 50),
            p99: LatencyHistogram.milliseconds(interval.latencies, percentile: 99)))
    }
}
