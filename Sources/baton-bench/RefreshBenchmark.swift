import ArgumentParser
import BatonSystem
import BatonLocalServers
import Foundation

/// `make bench`: Baton's refresh throughput on this machine, next to the machine's own limits
/// measured in the same run, as one table and a JSON + SVG report under `loadtest/results/`.
struct RefreshBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "make bench: baton cluster on its embedded Redis under baton-load's refresh scenario, next to the machine's limits."
    )

    @Option(help: "Workers of baton cluster (default: one per core).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Seconds per measured run.")
    var seconds = 20

    @Option(help: "Measured closed-loop runs (the median is reported).")
    var runs = 3

    @Option(help: "Warm-up seconds before the measured runs.")
    var warmup = 5

    @Option(help: "Virtual users (sessions), each rotating its own chain.")
    var users = 256

    @Option(help: "baton-load's keep-alive connections.")
    var connections = 32

    @Option(help: "baton-load's event-loop threads.")
    var threads = 1

    @Option(help: "Where the report goes (a new folder per run).")
    var results = "loadtest/results"

    func run() async throws {
        guard runs >= 1, seconds >= 1, workers >= 1 else { throw ValidationError("--runs, --seconds and --workers must be at least 1") }
        let binaries = try BatonBench.productsDirectory()
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let directory = URL(fileURLWithPath: results).appendingPathComponent("refresh-\(stamp)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        print("make bench: report in \(directory)")

        print("measuring the machine's limits first, with nothing else running…")
        let limits = try await LimitsBenchmark.measure(seconds: 3)
        LimitsBenchmark.printLimits(limits)
        print()

        print("starting baton cluster --workers \(workers) (embedded Redis, AOF on)…")
        let cluster = try await BenchCluster.start(baton: binaries + "/baton", workers: workers, directory: directory)
        do {
            let report = try await measure(cluster, load: binaries + "/baton-load", directory: directory, limits: limits)
            await cluster.stop()
            try LimitsBenchmark.write(report, to: directory + "/bench.json")
            report.printSummary()
            print("report: \(directory)/bench.json, charts: closed-*.svg, open.svg")
            if !report.passed { throw ExitCode(1) }
        } catch {
            await cluster.stop()
            throw error
        }
    }

    private func measure(_ cluster: BenchCluster, load: String, directory: String,
                         limits: LimitsReport) async throws -> BenchReport {
        let memoryBefore = try await RedisMemory.read(cluster)
        let common = ["--url", cluster.url, "--admin-token-file", cluster.adminTokenFile, "--users", String(users),
                      "--connections", String(connections), "--threads", String(threads), "--no-progress"]
        print("warming up for \(warmup) s…")
        _ = try await LoadRun.run(load, ["run", "--scenario", "refresh", "--duration", "\(warmup)s"] + common,
                                  json: directory + "/warmup.json", cluster: cluster)
        var closed: [LoadRun] = []
        for index in 1...runs {
            print("closed loop, run \(index) of \(runs): \(seconds) s…")
            closed.append(try await LoadRun.run(
                load, ["run", "--scenario", "refresh", "--duration", "\(seconds)s", "--plot", directory + "/closed-\(index).svg"] + common,
                json: directory + "/closed-\(index).json", cluster: cluster))
        }
        let median = BenchReport.median(of: closed)
        let rate = Int(median.throughput * 0.7)
        print("open loop at 70% of the closed-loop median (\(rate)/s): \(seconds) s…")
        let open = try await LoadRun.run(
            load, ["run", "--scenario", "refresh", "--rate", String(rate), "--duration", "\(seconds)s",
                   "--plot", directory + "/open.svg"] + common,
            json: directory + "/open.json", cluster: cluster)
        let memoryAfter = try await RedisMemory.read(cluster)
        return BenchReport(workers: workers, users: users, connections: connections, threads: threads, seconds: seconds,
                           closed: closed, open: open,
                           limits: limits, model: CostModel(limits, loadGenerator: median.loadGeneratorMicroseconds),
                           redisBytesPerFamily: memoryAfter.bytesPerFamily(since: memoryBefore))
    }
}
