import ArgumentParser
import BatonLoad
import BatonLocalServers
import BatonRedis
import Foundation

/// `make bench-cluster`: baton-load's `refresh` scenario on the same workers over one
/// redis-server and over a Redis Cluster of 3 primaries + 3 replicas, in one run: refreshes/s,
/// worker CPU-µs per refresh, and each Redis process's CPU-µs per refresh next to its share of
/// the slots (the load must spread across primaries in proportion to them). The figures the
/// README's "Sizing" section is computed from.
struct ClusterBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "make bench-cluster: the refresh scenario on workers over one redis-server and over a 3-primary Redis Cluster."
    )

    @Option(help: "Worker processes (baton serve, one event loop each).")
    var workers = 2

    @Option(help: "Seconds per measured run.")
    var seconds = 15

    @Option(help: "Warm-up seconds before each measured run.")
    var warmup = 3

    @Option(help: "Virtual users (sessions), each rotating its own chain.")
    var users = 256

    @Option(help: "baton-load's keep-alive connections.")
    var connections = 32

    @Option(help: "Where the report goes (a new folder per run).")
    var results = "loadtest/results"

    /// What one topology did under the load.
    struct Measurement: Encodable {
        /// One Redis process: its role, its share of the slots, its CPU per refresh.
        struct Node: Encodable {
            let port: Int
            let role: String
            let slots: Int
            let cpuMicrosecondsPerRefresh: Double

            enum CodingKeys: String, CodingKey {
                case port, role, slots
                case cpuMicrosecondsPerRefresh = "cpu_us_per_refresh"
            }
        }

        let topology: String
        let refreshesPerSecond: Double
        let requests: Int
        let passed: Bool
        let p99Milliseconds: Double
        let workerCPUMicrosecondsPerRefresh: Double
        let redis: [Node]
        var redisCPUMicrosecondsPerRefresh: Double { redis.reduce(0) { $0 + $1.cpuMicrosecondsPerRefresh } }

        enum CodingKeys: String, CodingKey {
            case topology, requests, passed, redis
            case refreshesPerSecond = "refreshes_per_second"
            case p99Milliseconds = "p99_ms"
            case workerCPUMicrosecondsPerRefresh = "worker_cpu_us_per_refresh"
        }
    }

    func run() async throws {
        guard seconds >= 1, workers >= 1 else { throw ValidationError("--seconds and --workers must be at least 1") }
        let binaries = try BatonBench.productsDirectory()
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let directory = URL(fileURLWithPath: results).appendingPathComponent("cluster-\(stamp)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        print("make bench-cluster: report in \(directory)")
        var measurements: [Measurement] = []
        for kind in [RedisDeploymentServers.Kind.standalone, .cluster] {
            print("starting \(workers) workers on \(kind == .cluster ? "a Redis Cluster (3 primaries + 3 replicas)" : "one redis-server")…")
            let processes = try await BatonServeProcesses.start(count: workers, binary: binaries + "/baton",
                                                                extra: ["--log-level", "warning", "--event-loops", "1"], redis: kind)
            do {
                measurements.append(try await measure(processes, kind: kind, load: binaries + "/baton-load", directory: directory))
                await processes.stop()
            } catch {
                await processes.stop()
                throw error
            }
        }
        try LimitsBenchmark.write(measurements, to: directory + "/bench-cluster.json")
        Self.printTable(measurements)
        if measurements.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }

    private func measure(_ processes: BatonServeProcesses, kind: RedisDeploymentServers.Kind, load: String,
                         directory: String) async throws -> Measurement {
        let common = processes.ports.flatMap { ["--url", "http://127.0.0.1:\($0)"] } + [
            "--admin-token", processes.adminToken, "--scenario", "refresh", "--users", String(users),
            "--connections", String(connections), "--no-progress",
        ]
        print("warming up for \(warmup) s…")
        _ = try await runToCompletion(load, ["run", "--duration", "\(warmup)s"] + common, timeout: .seconds(600))
        let slots = try await slotsByPort(processes.deployment)
        let workerPIDs = processes.workers.map(\.process.pid)
        let redisPIDs = processes.deployment.servers.compactMap(\.pid)
        let before = try (workerPIDs + redisPIDs).map { try ProcessStat(pid: $0).cpuMicroseconds }
        print("\(kind): measuring for \(seconds) s…")
        let json = directory + "/\(kind).json"
        let (status, output) = try await runToCompletion(load, ["run", "--duration", "\(seconds)s", "--json", json] + common,
                                                         timeout: .seconds(600))
        let after = try (workerPIDs + redisPIDs).map { try ProcessStat(pid: $0).cpuMicroseconds }
        guard let data = FileManager.default.contents(atPath: json), let report = try? JSONDecoder().decode(RunReport.self, from: data)
        else { throw LocalServerError("baton-load exited with \(status):\n\(output)") }
        if status != 0 { print(output) }
        let spent = zip(before, after).map { $1 - $0 }
        let perRefresh = { (microseconds: Double) in report.requests > 0 ? microseconds / Double(report.requests) : 0 }
        let nodes = zip(processes.deployment.servers, spent.dropFirst(workerPIDs.count)).map { server, cpu in
            Measurement.Node(port: server.port, role: (slots[server.port] ?? 0) > 0 ? "primary" : "replica",
                             slots: slots[server.port] ?? 0, cpuMicrosecondsPerRefresh: perRefresh(cpu))
        }
        return Measurement(topology: kind.rawValue, refreshesPerSecond: report.throughput, requests: report.requests,
                           passed: status == 0 && report.passed, p99Milliseconds: report.latencyMs.p99,
                           workerCPUMicrosecondsPerRefresh: perRefresh(spent.prefix(workerPIDs.count).reduce(0, +)),
                           redis: nodes)
    }

    /// How many slots each data server's port serves (every slot for one redis-server).
    private func slotsByPort(_ deployment: RedisDeploymentServers) async throws -> [Int: Int] {
        guard deployment.kind == .cluster else { return [deployment.servers[0].port: HashSlot.count] }
        let client = try RedisTopology(url: deployment.url).connect()
        defer { Task { await client.shutdown() } }
        try await client.waitUntilReady(timeout: .seconds(15))
        var slots: [Int: Int] = [:]
        for range in (client as? RedisClusterClient)?.slotMap?.ranges ?? [] { slots[range.primary.port, default: 0] += range.slots.count }
        return slots
    }

    private static func printTable(_ measurements: [Measurement]) {
        print()
        print("topology     refreshes/s   p99 ms   worker µs/refresh   redis µs/refresh (all processes)")
        for measurement in measurements {
            print(String(format: "%-12@ %11.0f   %6.2f   %17.1f   %16.1f", measurement.topology as NSString,
                         measurement.refreshesPerSecond, measurement.p99Milliseconds,
                         measurement.workerCPUMicrosecondsPerRefresh, measurement.redisCPUMicrosecondsPerRefresh))
        }
        guard let cluster = measurements.first(where: { $0.topology == "cluster" }) else { return }
        let primaryCPU = cluster.redis.filter { $0.role == "primary" }.reduce(0) { $0 + $1.cpuMicrosecondsPerRefresh }
        print()
        print("cluster node   role      slots (share)     µs/refresh (share of primaries' CPU)")
        for node in cluster.redis.sorted(by: { ($0.role, $0.port) < ($1.role, $1.port) }) {
            let cpuShare = node.role == "primary" && primaryCPU > 0 ? String(format: "%5.1f %%", 100 * node.cpuMicrosecondsPerRefresh / primaryCPU) : "     -"
            print(String(format: "%-14d %-9@ %5d (%5.1f %%)  %9.1f (%@)", node.port, node.role as NSString, node.slots,
                         100 * Double(node.slots) / Double(HashSlot.count), node.cpuMicrosecondsPerRefresh, cpuShare as NSString))
        }
    }
}
