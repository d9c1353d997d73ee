import Foundation

/// Number formatting for the human outputs (summary, progress line, plot).
enum Format {
    /// `12,345`.
    static func integer(_ value: Int) -> String {
        let digits = String(abs(value))
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// `4.21 ms` (three significant-ish decimals).
    static func milliseconds(_ value: Double) -> String {
        "\(decimal(value)) ms"
    }

    /// `3s`, `2.5s`.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : String(format: "%.1fs", value)
    }

    /// `text` right-aligned in `width` characters, with at least one space before it, so that a
    /// column never runs into the one on its left.
    static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }

    /// A number with 0–3 decimals depending on its size.
    static func decimal(_ value: Double) -> String {
        switch abs(value) {
        case 100...: String(format: "%.0f", value)
        case 10..<100: String(format: "%.1f", value)
        case 1..<10: String(format: "%.2f", value)
        default: String(format: "%.3f", value)
        }
    }
}
