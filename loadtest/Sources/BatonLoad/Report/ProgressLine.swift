#if canImport(Glibc)
import Glibc
#endif

/// The live line on stderr, rewritten once a second: elapsed time, rate, errors, p99 so far.
/// Printed only when stderr is a terminal.
public struct ProgressLine: Sendable {
    /// A progress line, or nil when stderr is not a terminal.
    public static func forTerminal() -> ProgressLine? {
        isatty(2) == 1 ? ProgressLine() : nil
    }

    func show(_ point: TimelinePoint, total: Int, correctness: CorrectnessCounters) {
        let failures = correctness.total
        let flag = failures > 0 ? "  CORRECTNESS FAILURES \(failures)" : ""
        write("\r\u{1B}[2K[\(Format.seconds(point.t))] \(Format.integer(Int(point.throughput))) req/s  "
              + "errors \(point.errors)  p99 \(Format.milliseconds(point.p99))  total \(Format.integer(total))\(flag)")
    }

    func clear() {
        write("\r\u{1B}[2K")
    }

    private func write(_ text: String) {
        var text = text
        text.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
