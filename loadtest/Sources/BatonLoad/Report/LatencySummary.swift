import Histogram

/// Latency percentiles in milliseconds (microsecond resolution), as reported.
public struct LatencySummary: Sendable, Codable, Equatable {
    /// Median, in ms.
    public var p50: Double
    /// 90th percentile, in ms.
    public var p90: Double
    /// 99th percentile, in ms.
    public var p99: Double
    /// 99.9th percentile, in ms.
    public var p99_9: Double
    /// Largest recorded value, in ms.
    public var max: Double
    /// Mean, in ms.
    public var mean: Double

    /// The percentiles of `histogram` (microseconds) in milliseconds; zeros when it is empty.
    public init(_ histogram: Histogram<UInt64>) {
        p50 = LatencyHistogram.milliseconds(histogram, percentile: 50)
        p90 = LatencyHistogram.milliseconds(histogram, percentile: 90)
        p99 = LatencyHistogram.milliseconds(histogram, percentile: 99)
        p99_9 = LatencyHistogram.milliseconds(histogram, percentile: 99.9)
        max = LatencyHistogram.maximumMilliseconds(histogram)
        mean = histogram.totalCount > 0 ? histogram.mean.rounded() / 1_000 : 0
    }

    enum CodingKeys: String, CodingKey {
        case p50, p90, p99
        case p99_9 = "p99.9"
        case max, mean
    }
}
