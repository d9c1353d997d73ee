/// Numbers written as decimal text straight into bytes, for log lines on the hot path (no `String`,
/// no `Double`).
public enum DecimalText {
    /// Appends a non-negative integer (negative values are written as 0).
    public static func append(_ value: Int64, to bytes: inout [UInt8]) {
        guard value >= 10 else {
            bytes.append(UInt8(ascii: "0") + UInt8(max(0, value)))
            return
        }
        append(value / 10, to: &bytes)
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// Appends `duration` in milliseconds with three decimals (`12.034`), rounded to the microsecond.
    public static func appendMilliseconds(_ duration: Duration, to bytes: inout [UInt8]) {
        let (seconds, attoseconds) = duration.components
        let microseconds = max(0, seconds * 1_000_000 + (attoseconds + 500_000_000_000) / 1_000_000_000_000)
        append(microseconds / 1000, to: &bytes)
        let fraction = Int(microseconds % 1000)
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }
}
