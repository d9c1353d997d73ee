import Foundation

/// The overhead comparison: the harness and wrk on `GET /healthz` with the same connections and
/// duration, alternating for a few rounds in the same run (a shared machine is noisy; medians
/// are steadier). The ratio is the harness's median rate over wrk's.
public struct OverheadReport: Sendable, Codable, Equatable, JSONReport {
    /// One round: the harness, then wrk.
    public struct Round: Sendable, Codable, Equatable {
        /// The harness's rate (requests/s).
        public var harness: Double
        /// wrk's rate (requests/s).
        public var wrk: Double
    }

    /// The harness's run with the median rate.
    public var harness: RunReport
    /// wrk's run with the median rate.
    public var wrk: WrkResult
    /// Every round's rates, in order.
    public var rounds: [Round]
    /// The harness's median rate over wrk's median rate.
    public var ratio: Double
    /// The ratio the harness must reach.
    public static let target = 0.8

    /// A comparison of `harness` and `wrk` runs made in alternation (the same count of each).
    public init(harness: [RunReport], wrk: [WrkResult]) {
        precondition(!harness.isEmpty && harness.count == wrk.count, "one wrk run per harness run")
        rounds = zip(harness, wrk).map { Round(harness: $0.throughput, wrk: $1.requestsPerSecond) }
        self.harness = harness.sorted { $0.throughput < $1.throughput }[harness.count / 2]
        self.wrk = wrk.sorted { $0.requestsPerSecond < $1.requestsPerSecond }[wrk.count / 2]
        ratio = self.wrk.requestsPerSecond > 0 ? (self.harness.throughput / self.wrk.requestsPerSecond * 1_000).rounded() / 1_000 : 0
    }

    /// The comparison as a few lines.
    public func summary() -> String {
        let verdict = ratio >= Self.target ? "meets" : "BELOW"
        let threads = "\(harness.threads) thread\(harness.threads == 1 ? "" : "s"), \(harness.scheduling) scheduling"
        var lines = ["GET /healthz, \(harness.connections) connections, \(Format.decimal(harness.durationS)) s per run, "
                     + "\(rounds.count) round\(rounds.count == 1 ? "" : "s") (baton-load, then wrk)"]
        for (index, round) in rounds.enumerated() {
            lines.append("  round \(index + 1): baton-load\(Format.leftPad(Format.integer(Int(round.harness.rounded())), 9)) req/s   "
                         + "wrk\(Format.leftPad(Format.integer(Int(round.wrk.rounded())), 9)) req/s")
        }
        lines.append("  median:  baton-load\(Format.leftPad(Format.integer(Int(harness.throughput.rounded())), 9)) req/s (\(threads))   "
                     + "p50 \(Format.milliseconds(harness.latencyMs.p50))  p99 \(Format.milliseconds(harness.latencyMs.p99))")
        lines.append("           wrk       \(Format.leftPad(Format.integer(Int(wrk.requestsPerSecond.rounded())), 9)) req/s (\(wrk.threads) "
                     + "thread\(wrk.threads == 1 ? "" : "s"))   p50 \(Format.milliseconds(wrk.latencyMs["p50"] ?? 0))  "
                     + "p99 \(Format.milliseconds(wrk.latencyMs["p99"] ?? 0))")
        lines.append("  ratio \(String(format: "%.1f", ratio * 100)) % of wrk (\(verdict) the \(Int(Self.target * 100)) % target)")
        return lines.joined(separator: "\n")
    }
}
