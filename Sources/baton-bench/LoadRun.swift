import BatonLoad
import BatonLocalServers
import Foundation

/// One `baton-load run`, with what the cluster's processes spent while it ran: CPU per answered
/// request for the workers, Redis and baton-load itself, and the workers' resident memory.
struct LoadRun: Sendable, Encodable {
    let throughput: Double
    let requests: Int
    let passed: Bool
    /// Latency percentiles and mean, ms.
    let latency: LatencySummary
    /// CPU µs per answered request.
    let workerMicroseconds: Double
    let redisMicroseconds: Double
    let loadGeneratorMicroseconds: Double
    /// Each worker's resident KiB at the start and the end of the run, and the most seen.
    let workerResidentKiB: [(start: Int, end: Int, peak: Int)]

    enum CodingKeys: String, CodingKey {
        case throughput, requests, passed
        case latency = "latency_ms"
        case workerMicroseconds = "worker_cpu_us_per_request"
        case redisMicroseconds = "redis_cpu_us_per_request"
        case loadGeneratorMicroseconds = "load_generator_cpu_us_per_request"
    }

    /// Runs baton-load with `arguments` plus `--json json`, sampling the workers' memory every 250 ms.
    static func run(_ load: String, _ arguments: [String], json: String, cluster: BenchCluster) async throws -> LoadRun {
        let workers = cluster.workerPIDs
        guard let redis = cluster.redisPID else { throw LocalServerError("the embedded redis-server is not running") }
        let processes = workers + [redis]
        let before = try processes.map { try ProcessStat(pid: $0) }
        var resident = before.dropLast().map { [$0.residentKiB] }
        var after: [ProcessStat] = []
        var loadCPU = 0.0
        let (status, output) = try await runToCompletion(load, arguments + ["--json", json], timeout: .seconds(3600)) { pid in
            // Until baton-load has exited (a zombie: its CPU time is still readable).
            while try ProcessStat(pid: pid).state != "Z" {
                try await Task.sleep(for: .milliseconds(250))
                for (index, worker) in workers.enumerated() {
                    if let sample = try? ProcessStat(pid: worker) { resident[index].append(sample.residentKiB) }
                }
            }
            after = try processes.map { try ProcessStat(pid: $0) }
            loadCPU = try ProcessStat(pid: pid).cpuMicroseconds
        }
        guard status == 0 || status == 1, let data = FileManager.default.contents(atPath: json),
              let report = try? JSONDecoder().decode(RunReport.self, from: data)
        else { throw LocalServerError("baton-load exited with \(status):\n\(output)") }
        if status == 1 { print(output) }
        let requests = report.requests
        let perRequest = { (microseconds: Double) in requests > 0 ? microseconds / Double(requests) : 0 }
        let cpu = zip(before, after).map { $1.cpuMicroseconds - $0.cpuMicroseconds }
        return LoadRun(
            throughput: report.throughput, requests: requests, passed: status == 0 && report.passed, latency: report.latencyMs,
            workerMicroseconds: perRequest(cpu.dropLast().reduce(0, +)), redisMicroseconds: perRequest(cpu.last ?? 0),
            loadGeneratorMicroseconds: perRequest(loadCPU),
            workerResidentKiB: resident.map { ($0.first ?? 0, $0.last ?? 0, $0.max() ?? 0) })
    }
}
