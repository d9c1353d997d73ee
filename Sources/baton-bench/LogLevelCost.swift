import Foundation

/// What the default log level costs: two `baton cluster`s side by side, one at `warning` and one
/// at `info` (one access line per request, Baton's default), run in turn under the same refresh
/// load so that the machine's swings hit both alike. The loss is the median of the pairs' ratios.
struct LogLevelCost: Encodable {
    let warning: [LoadRun]
    let info: [LoadRun]
    /// Throughput lost at `info`, as a fraction of the `warning` rate: the median over the pairs
    /// of each pair's ratio (a pair runs minutes apart from the next, not seconds).
    let rateLoss: Double
    /// Worker CPU per refresh added at `info`, as a fraction (the median of the pairs' ratios).
    let cpuIncrease: Double

    init(warning: [LoadRun], info: [LoadRun]) {
        self.warning = warning
        self.info = info
        rateLoss = 1 - BenchReport.medianRatio(info, to: warning, \.throughput)
        cpuIncrease = BenchReport.medianRatio(info, to: warning, \.workerMicroseconds) - 1
    }

    enum CodingKeys: String, CodingKey {
        case warning, info
        case rateLoss = "rate_loss_at_info"
        case cpuIncrease = "worker_cpu_increase_at_info"
    }

    /// `runs` pairs of closed-loop refresh runs of `seconds`, warning then info (`InterleavedRuns`).
    static func measure(baton: String, load: String, workers: Int, runs: Int, seconds: Int, arguments: [String],
                        directory: String) async throws -> LogLevelCost {
        var clusters: [BenchCluster] = []
        do {
            for level in ["warning", "info"] {
                clusters.append(try await BenchCluster.start(baton: baton, workers: workers, directory: directory + "/log-\(level)",
                                                             logLevel: level))
            }
            let results = try await InterleavedRuns(load: load, arguments: arguments, directory: directory)
                .run(on: clusters, names: ["log-warning", "log-info"], rounds: runs, seconds: seconds)
            await BenchCluster.stop(clusters)
            return LogLevelCost(warning: results[0], info: results[1])
        } catch {
            await BenchCluster.stop(clusters)
            throw error
        }
    }
}
