/// Durations as written on the command line: `10s`, `500ms`, `1.5s`, `2m`, `1h`.
public enum DurationText {
    /// Parses `text`; throws `LoadError.usage` naming `option` when it is not a duration.
    public static func parse(_ text: String, option: String) throws -> Duration {
        let units: [(suffix: String, nanoseconds: Double)] = [("ms", 1e6), ("us", 1e3), ("s", 1e9), ("m", 60e9), ("h", 3_600e9)]
        for unit in units where text.hasSuffix(unit.suffix) {
            guard let value = Double(text.dropLast(unit.suffix.count)), value >= 0, value.isFinite else { break }
            return .nanoseconds(Int64((value * unit.nanoseconds).rounded()))
        }
        throw LoadError.usage("\(option) \(text): write a duration such as 10s, 500ms, 2m")
    }
}
