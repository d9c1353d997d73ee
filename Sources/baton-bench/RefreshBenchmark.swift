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

    @Option(help: "Live families preloaded for the large-keyspace refresh runs, next to 10,000 (0: skip both).")
    var families = 1_000_000

    @Option(help: "Pairs of runs (warning, info) measuring the default log level's cost (0: skip).")
    var logLevelRuns = 5

    @Option(help: "Pairs of refresh runs (bearer, --dpop) measuring what DPoP costs, 10 s each (0: skip).")
    var dpopRuns = 2

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
            var report = try await measure(cluster, load: binaries + "/baton-load", directory: directory, limits: limits)
            if dpopRuns > 0 {
                report.dpop = try await DPoPCost.measure(cluster, load: binaries + "/baton-load", runs: dpopRuns, seconds: min(seconds, 10),
                                                         arguments: loadArguments, directory: directory)
            }
            await cluster.stop()
            if families > 0 {
                report.families = try await FamilyScale.measure(
                    baton: binaries + "/baton", load: binaries + "/baton-load", workers: workers, large: max(families, 20_000),
                    runs: 3, seconds: min(seconds, 10), arguments: loadArguments, directory: directory)
            }
            if logLevelRuns > 0 {
                report.logLevel = try await LogLevelCost.measure(
                    baton: binaries + "/baton", load: binaries + "/baton-load", workers: workers, runs: logLevelRuns,
                    seconds: min(seconds, 10), arguments: loadArguments, directory: directory)
            }
            try LimitsBenchmark.write(report, to: directory + "/bench.json")
            report.printSummary()
            print("report: \(directory)/bench.json, charts: closed-*.svg, open.svg")
            if !report.passed { throw ExitCode(1) }
        } catch {
            await cluster.stop()
            throw error
        }
    }

    /// baton-load's options shared by every run (target and token apart).
    private var loadArguments: [String] {
        ["--users", String(users), "--connections", String(connections), "--threads", String(threads), "--no-progress"]
    }

    private func measure(_ cluster: BenchCluster, load: String, directory: String,
                         limits: LimitsReport) async throws -> BenchReport {
        let memoryBefore = try await RedisMemory.read(cluster)
        let common = ["--url", cluster.url, "--admin-token-file", cluster.adminTokenFile] + loadArguments
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
        func mixed(_ name: String, _ mix: String) async throws -> LoadRun {
            print("\(name), closed loop (mixed scenario, \(mix)): \(seconds) s…")
            return try await LoadRun.run(load, ["run", "--scenario", "mixed", "--mix", mix, "--duration", "\(seconds)s"] + common,
                                         json: directory + "/\(name).json", cluster: cluster)
        }
        let sessions = try await mixed("sessions", "create=1")
        let introspections = try await mixed("introspections", "introspect=1")
        let memoryAfter = try await RedisMemory.read(cluster)
        return BenchReport(workers: workers, users: users, connections: connections, threads: threads, seconds: seconds,
                           closed: closed, open: open, sessions: sessions, introspections: introspections,
                           limits: limits, model: CostModel(limits, loadGenerator: median.loadGeneratorMicroseconds),
                           redisBytesPerFamily: memoryAfter.bytesPerFamily(since: memoryBefore))
    }
}
