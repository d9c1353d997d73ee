import BatonLoad
import Foundation

/// What `make bench` found: Baton's closed- and open-loop runs, where the CPU went, what DPoP costs,
/// the machine's limits, the cost model's verdict and the C floor's rate; written as `bench.json`
/// and printed as one table.
struct BenchReport: Encodable {
    var workers: Int
    var users: Int
    var connections: Int
    var threads: Int
    var seconds: Int
    var closed: [LoadRun]
    var open: LoadRun
    /// Closed-loop session creation (`POST /v1/sessions`) and introspection runs.
    var sessions: LoadRun
    var introspections: LoadRun
    /// Refresh runs with 10,000 and with 1,000,000 live families (nil: skipped).
    var families: FamilyScale?
    /// The default log level's cost (nil: skipped).
    var logLevel: LogLevelCost?
    /// Refreshes with DPoP next to bearer ones (nil: skipped).
    var dpop: DPoPCost?
    var limits: LimitsReport
    var model: CostModel
    /// Redis `used_memory` added per live family (nil if none was added).
    var redisBytesPerFamily: Double?

    /// The closed-loop run of median throughput, which the cost model is set against.
    var median: LoadRun { Self.median(of: closed) }

    /// Per worker and closed run: resident KiB at the start, at the end, and the most seen.
    var workerResidentKiB: [[Int]] { closed.flatMap(\.workerResidentKiB).map { [$0.start, $0.end, $0.peak] } }

    /// The median of the runs' worker CPU-µs per request.
    static func medianWorkerCPU(_ runs: [LoadRun]) -> Double {
        baton_bench.median(runs.map(\.workerMicroseconds))
    }

    /// The median over interleaved pairs of `runs[i].value / baselines[i].value`.
    static func medianRatio(_ runs: [LoadRun], to baselines: [LoadRun], _ value: KeyPath<LoadRun, Double>) -> Double {
        baton_bench.median(zip(runs, baselines).map { $0[keyPath: value] / $1[keyPath: value] })
    }

    /// The run of median throughput among `runs`.
    static func median(of runs: [LoadRun]) -> LoadRun {
        runs.sorted { $0.throughput < $1.throughput }[runs.count / 2]
    }

    /// Whether every run passed its correctness checks.
    var passed: Bool {
        closed.allSatisfy(\.passed) && open.passed && sessions.passed && introspections.passed
            && (families.map { ($0.smallRuns + $0.largeRuns).allSatisfy(\.passed) } ?? true)
            && (logLevel.map { ($0.warning + $0.info).allSatisfy(\.passed) } ?? true)
            && (dpop.map { ($0.bearer + $0.dpop).allSatisfy(\.passed) } ?? true)
    }

    enum CodingKeys: String, CodingKey {
        case workers, users, connections, threads, seconds, closed, median, open, limits, passed, sessions, introspections, families, dpop
        case logLevel = "log_level"
        case model = "cost_model"
        case predicted = "predicted_refreshes_per_s"
        case ratio = "ratio_to_prediction"
        case floorRatio = "ratio_to_c_floor"
        case redisBytesPerFamily = "redis_bytes_per_family"
        case workerResidentKiB = "worker_rss_kib_start_end_peak"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(workers, forKey: .workers)
        try container.encode(users, forKey: .users)
        try container.encode(connections, forKey: .connections)
        try container.encode(threads, forKey: .threads)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(closed, forKey: .closed)
        try container.encode(median, forKey: .median)
        try container.encode(open, forKey: .open)
        try container.encode(sessions, forKey: .sessions)
        try container.encode(introspections, forKey: .introspections)
        try container.encodeIfPresent(families, forKey: .families)
        try container.encodeIfPresent(logLevel, forKey: .logLevel)
        try container.encodeIfPresent(dpop, forKey: .dpop)
        try container.encode(limits, forKey: .limits)
        try container.encode(passed, forKey: .passed)
        try container.encode(model, forKey: .model)
        try container.encode(model.predictedRefreshesPerSecond, forKey: .predicted)
        try container.encode(model.ratio(measured: median.throughput), forKey: .ratio)
        try container.encode(median.throughput / limits.floor.refreshesPerSecond, forKey: .floorRatio)
        try container.encodeIfPresent(redisBytesPerFamily, forKey: .redisBytesPerFamily)
        try container.encode(workerResidentKiB, forKey: .workerResidentKiB)
    }

    private var familyRows: [[String]] {
        guard let families else { return [] }
        return [(families.small, families.smallRuns), (families.large, families.largeRuns)].map { count, runs in
            medianRow("Baton refresh, \(count) live families", runs)
        }
    }

    /// One row per run of the DPoP pairs, in run order: two runs do not make a median.
    private var dpopRows: [[String]] {
        guard let dpop else { return [] }
        return zip(dpop.bearer, dpop.dpop).enumerated().flatMap { index, pair in
            [runRow("Baton refresh, bearer, pair \(index + 1)", pair.0), runRow("Baton refresh, DPoP, pair \(index + 1)", pair.1)]
        }
    }

    /// A row for one closed-loop run: its rate and latency, the workers' CPU per request.
    private func runRow(_ name: String, _ run: LoadRun) -> [String] {
        let f = LimitsBenchmark.format
        return [name, f(run.throughput, 0), f(run.latency.p50, 2), f(run.latency.p99, 2), f(run.workerMicroseconds, 1) + " (worker)"]
    }

    private var logLevelRows: [[String]] {
        guard let logLevel else { return [] }
        return [("warning", logLevel.warning), ("info", logLevel.info)].map { level, runs in
            medianRow("Baton refresh, --log-level \(level)", runs)
        }
    }

    /// A row for interleaved runs: the median run's rate and latency, the median worker CPU.
    private func medianRow(_ name: String, _ runs: [LoadRun]) -> [String] {
        let f = LimitsBenchmark.format
        let median = Self.median(of: runs)
        return ["\(name) (median of \(runs.count))", f(median.throughput, 0), f(median.latency.p50, 2), f(median.latency.p99, 2),
                f(Self.medianWorkerCPU(runs), 1) + " (worker)"]
    }

    /// The one table: Baton next to the machine's limits and the cost model.
    func printSummary() {
        let f = LimitsBenchmark.format
        let floor = limits.floor
        let latency = { (run: LoadRun, percentile: KeyPath<LatencySummary, Double>) in f(run.latency[keyPath: percentile], 2) }
        print()
        print("make bench — \(limits.machine.cores) cores, \(limits.machine.cpuModel); load generator, \(workers) workers and Redis on the same machine")
        printTable(header: ["", "per s", "p50 ms", "p99 ms", "CPU-µs per op"], rows: [
            ["Baton refresh, closed loop (median of \(closed.count))", f(median.throughput, 0), latency(median, \.p50), latency(median, \.p99),
             f(median.workerMicroseconds + median.redisMicroseconds + median.loadGeneratorMicroseconds, 1)],
            ["  runs", closed.map { f($0.throughput, 0) }.joined(separator: " / "), "", "", ""],
            ["  worker CPU", "", "", "", f(median.workerMicroseconds, 1)],
            ["  Redis CPU", "", "", "", f(median.redisMicroseconds, 1)],
            ["  baton-load CPU", "", "", "", f(median.loadGeneratorMicroseconds, 1)],
            ["Baton refresh, open loop at 70%", f(open.throughput, 0), latency(open, \.p50), latency(open, \.p99), ""],
            runRow("Baton session creation, closed loop", sessions),
            runRow("Baton introspection, closed loop", introspections),
        ] + dpopRows + familyRows + logLevelRows + [
            ["ES256 signature (openssl speed)", f(limits.es256.signsPerSecond, 0), "", "", f(limits.es256.cpuMicroseconds, 1)],
            ["rotation script (redis-benchmark)", f(limits.script.callsPerSecond, 0), "", "", f(limits.script.redisCPUMicrosecondsPerCall, 1)],
            ["HTTP request (wrk → nginx), server", f(limits.http.requestsPerSecond, 0), "", "", f(limits.http.serverCPUMicroseconds, 1)],
            ["cost model: floor per refresh", f(model.predictedRefreshesPerSecond, 0), "", "", f(model.microsecondsPerRefresh, 1)],
            ["refresh in C (baton-floor ×\(floor.processes), wrk -c\(floor.connections))", f(floor.refreshesPerSecond, 0), "", "",
             f(floor.serverCPUMicroseconds + floor.redisCPUMicroseconds + floor.clientCPUMicroseconds, 1)],
            ["  baton-floor CPU", "", "", "", f(floor.serverCPUMicroseconds, 1)],
        ])
        print(String(format: "Baton at %.2f of the cost model (signature + script + HTTP server + baton-load's own CPU per request)",
                     model.ratio(measured: median.throughput)))
        print(String(format: "Baton at %.2f of the C floor's rate; a refresh costs its workers %.1f CPU-µs, the C floor %.1f",
                     median.throughput / floor.refreshesPerSecond, median.workerMicroseconds, floor.serverCPUMicroseconds))
        if let redisBytesPerFamily { print(String(format: "Redis memory per family made by the runs' users (with their rotations): %.0f bytes", redisBytesPerFamily)) }
        if let families {
            print(String(format: "with %d live families Baton refreshes at %.2f of its rate with %d (%d interleaved pairs); Redis holds %.0f bytes per family (preloaded in %.0f s)",
                         families.large, families.ratio, families.small, families.smallRuns.count, families.bytesPerFamily,
                         families.preloadSeconds))
        }
        if let dpop {
            let f = { (values: [Double]) in values.map { String(format: "%.2f", $0) }.joined(separator: ", ") }
            let loadCPU = { (runs: [LoadRun]) in runs.map { String(format: "%.1f", $0.loadGeneratorMicroseconds) }.joined(separator: ", ") }
            print("DPoP against bearer, \(dpop.rateRatios.count) interleaved pairs: " + String(format: "%.2f", dpop.rateRatio)
                  + " of the rate (pairs: \(f(dpop.rateRatios))), worker CPU per refresh ×" + String(format: "%.2f", dpop.workerCPURatio)
                  + " (pairs: \(f(dpop.workerCPURatios))); baton-load CPU per refresh \(loadCPU(dpop.bearer)) µs bearer, "
                  + "\(loadCPU(dpop.dpop)) µs DPoP")
        }
        if let logLevel {
            print(String(format: "log level info (the default) against warning, %d interleaved pairs: %.1f %% of the rate lost, worker CPU per refresh %+.1f %%",
                         logLevel.info.count, logLevel.rateLoss * 100, logLevel.cpuIncrease * 100))
        }
        print("worker RSS KiB (start → end, peak) per run: " + workerResidentKiB.map { "\($0[0])→\($0[1]) (\($0[2]))" }.joined(separator: ", "))
        print(passed ? "correctness: every run passed (no unexpected status, false reuse, broken chain or transport error)"
                     : "CORRECTNESS FAILURES: see the runs' reports")
    }
}
