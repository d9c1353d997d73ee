import BatonCore

/// Durations as decimal text straight into bytes, for log lines on the hot path (no `String`, no
/// `Double`).
public enum Milliseconds {
    /// Appends `duration` in milliseconds with three decimals (`12.034`), rounded to the microsecond.
    public static func append(_ duration: Duration, to bytes: inout [UInt8]) {
        let (seconds, attoseconds) = duration.components
        let microseconds = max(0, seconds * 1_000_000 + (attoseconds + 500_000_000_000) / 1_000_000_000_000)
        DecimalDigits.append(UInt64(microseconds / 1000), to: &bytes)
        let fraction = Int(microseconds % 1000)
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }
}
