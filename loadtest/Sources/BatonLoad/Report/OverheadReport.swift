import Foundation

/// The overhead comparison: the harness and wrk on `GET /healthz` with the same connections and
/// duration, one after the other in the same run. The ratio is the harness's rate over wrk's.
public struct OverheadReport: Sendable, Codable, Equatable {
    /// The harness's run.
    public var harness: RunReport
    /// wrk's run.
    public var wrk: WrkResult
    /// `harness.throughput / wrk.requests_per_s`.
    public var ratio: Double
    /// The ratio the harness must reach.
    public static let target = 0.8

    /// A comparison of the two runs.
    public init(harness: RunReport, wrk: WrkResult) {
        self.harness = harness
        self.wrk = wrk
        ratio = wrk.requestsPerSecond > 0 ? (harness.throughput / wrk.requestsPerSecond * 1_000).rounded() / 1_000 : 0
    }

    /// Whether the harness reached `target` of wrk's rate and saw no failures.
    public var passed: Bool { ratio >= Self.target && harness.passed }

    /// The comparison as a few lines.
    public func summary() -> String {
        let verdict = ratio >= Self.target ? "meets" : "BELOW"
        return """
        GET /healthz, \(harness.connections) connections, \(Format.decimal(harness.durationS)) s each
          baton-load (\(harness.threads) thread\(harness.threads == 1 ? "" : "s")) \(leftPad(Format.integer(Int(harness.throughput.rounded())), 9)) req/s   p50 \(Format.milliseconds(harness.latencyMs.p50))  p99 \(Format.milliseconds(harness.latencyMs.p99))
          wrk                   \(leftPad(Format.integer(Int(wrk.requestsPerSecond.rounded())), 9)) req/s   p50 \(Format.milliseconds(wrk.latencyMs["p50"] ?? 0))  p99 \(Format.milliseconds(wrk.latencyMs["p99"] ?? 0))
          ratio \(String(format: "%.1f", ratio * 100)) % of wrk (\(verdict) the \(Int(Self.target * 100)) % target)
        """
    }

    private func leftPad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
