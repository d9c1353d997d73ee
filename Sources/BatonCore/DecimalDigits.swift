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
}
