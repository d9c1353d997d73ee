import Histogram

/// The HdrHistogram every latency goes into: microseconds, from 1 µs to 10 minutes, three
/// significant digits. Larger values are recorded as the maximum.
public enum LatencyHistogram {
    /// The largest latency recorded, in microseconds.
    public static let highestMicroseconds: UInt64 = 600_000_000

    /// An empty histogram.
    public static func make() -> Histogram<UInt64> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: highestMicroseconds, numberOfSignificantValueDigits: .three)
    }

    /// Records a latency given in nanoseconds.
    @inline(__always)
    public static func record(nanoseconds: UInt64, in histogram: inout Histogram<UInt64>) {
        let microseconds = min(max(nanoseconds / 1_000, 1), highestMicroseconds)
        _ = histogram.record(microseconds)
    }

    /// The value at `percentile` (0...100) in milliseconds, or 0 for an empty histogram.
    public static func milliseconds(_ histogram: Histogram<UInt64>, percentile: Double) -> Double {
        guard histogram.totalCount > 0 else { return 0 }
        return Double(histogram.valueAtPercentile(percentile)) / 1_000
    }

    /// The largest recorded value in milliseconds, or 0 for an empty histogram.
    public static func maximumMilliseconds(_ histogram: Histogram<UInt64>) -> Double {
        guard histogram.totalCount > 0 else { return 0 }
        return Double(histogram.max) / 1_000
    }
}
