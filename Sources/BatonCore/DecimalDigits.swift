/// Unsigned integers as decimal ASCII, appended straight to bytes (no `String`, no buffer of
/// their own): for tokens, JSON and log lines on the hot path.
///
/// ```swift
/// var bytes = Array("gen=".utf8)
/// DecimalDigits.append(42, to: &bytes)   // "gen=42"
/// ```
public enum DecimalDigits {
    /// Appends `value` in decimal, most significant digit first.
    public static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var divisor: UInt64 = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Writes `value` in decimal at the start of `buffer` (20 bytes hold any value); returns the
    /// number of digits written.
    public static func write(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var divisor: UInt64 = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        var count = 0
        while divisor > 0 {
            buffer[count] = UInt8(ascii: "0") + UInt8(rest / divisor)
            count += 1
            rest %= divisor
            divisor /= 10
        }
        return count
    }
}
