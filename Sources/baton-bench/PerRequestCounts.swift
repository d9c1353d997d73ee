import BatonLoad
import BatonLocalServers
import BatonRedis
import Foundation

/// Exact counts per request (heap allocations, instructions) of one worker and of baton-floor.
///
/// Each operation is run twice by baton-load with a different number of requests after the same
/// setup (clients, sessions); the difference of the counts over the difference of the requests
/// is the cost of one request, setup and start-up cancelled out. What the worker counts per
/// second while idle (timers, the keyset poll), measured between the two runs, times the
/// difference of their durations is taken off first: under valgrind a run lasts some fifty times
/// longer, so this matters there. The floor (nothing runs in it but requests) runs under wrk for 2 and then 6 seconds,
/// and is counted the same way.
enum PerRequestCounts {
    /// One operation of baton-load: its scenario arguments and how tables name it.
    struct Operation {
        let name: String
        let arguments: [String]
    }

    /// The count and the process's CPU-µs per request of one operation.
    struct Cost: Encodable {
        let operation: String
        let count: Double
        let cpuMicroseconds: Double
    }

    static let operations = [
        Operation(name: "refresh (POST /oauth/token)", arguments: ["--scenario", "refresh"]),
        Operation(name: "session creation (POST /v1/sessions)", arguments: ["--scenario", "mixed", "--mix", "create=1"]),
        Operation(name: "introspection (POST /oauth/introspect)", arguments: ["--scenario", "mixed", "--mix", "introspect=1"]),
    ]

    /// Every operation against the worker `workers.workers[0]`, counted by `count`; `report` hears
    /// each cost, and the idle count per second taken off it, as it is known.
    static func worker(_ workers: BatonServeProcesses, binaries: String, requests: Int, connections: Int, count: some RunningCount,
                       directory: String, report: (Cost, Double) -> Void) async throws -> [Cost] {
        let tokenFile = directory + "/admin.token"
        try workers.adminToken.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let pid = workers.workers[0].process.pid
        let target = ["--url", "http://127.0.0.1:\(workers.workers[0].port)", "--admin-token-file", tokenFile,
                      "--users", "64", "--connections", String(connections), "--no-progress"]
        var costs: [Cost] = []
        for operation in operations {
            let short = try await run(binaries + "/baton-load", target + operation.arguments, requests: requests, count: count,
                                      pid: pid, directory: directory)
            let idlePerSecond = try await idleRate(count)
            let long = try await run(binaries + "/baton-load", target + operation.arguments, requests: 3 * requests,
                                     count: count, pid: pid, directory: directory)
            let extra = Double(long.requests - short.requests)
            let idle = idlePerSecond * (long.seconds - short.seconds)
            let cost = Cost(operation: operation.name, count: (Double(long.count - short.count) - idle) / extra,
                            cpuMicroseconds: (long.cpuMicroseconds - short.cpuMicroseconds) / extra)
            report(cost, idlePerSecond)
            costs.append(cost)
        }
        return costs
    }

    /// One baton-load run of `requests` requests: how many it made, and the worker's count, CPU-µs
    /// and the seconds between the two reads of the count (the second once its last answers are written).
    private static func run(_ load: String, _ arguments: [String], requests: Int, count: some RunningCount, pid: pid_t,
                            directory: String) async throws -> (requests: Int, count: UInt64, cpuMicroseconds: Double, seconds: Double) {
        let json = directory + "/run.json"
        let before = try await count.read()
        let started = ContinuousClock.now
        let cpuBefore = try ProcessStat(pid: pid).cpuMicroseconds
        let (status, output) = try await runToCompletion(load, ["run", "--requests", String(requests), "--json", json] + arguments,
                                                         timeout: .seconds(1200))
        try await Task.sleep(for: .milliseconds(300))
        let cpu = try ProcessStat(pid: pid).cpuMicroseconds - cpuBefore
        let counted = try await count.read() - before
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard status == 0, let data = FileManager.default.contents(atPath: json),
              let report = try? JSONDecoder().decode(RunReport.self, from: data), report.passed
        else { throw LocalServerError("baton-load exited with \(status):\n\(output)") }
        return (report.requests, counted, cpu, seconds)
    }

    /// One baton-floor process (with `environment`, under `launcher`), counted by `count(pid)`, on
    /// a redis-server holding the benchmark's families, under wrk's refresh-shaped POST on
    /// `connections` connections.
    static func floor(_ binary: String, connections: Int, environment: [String: String] = [:], launcher: [String] = [], directory: String,
                      count: (pid_t) -> any RunningCount) async throws -> Cost {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let redis = RedisClient(configuration: try RedisConfiguration(url: server.unixURL))
        let families = 10_000
        do {
            try await redis.waitUntilConnected()
            try await BenchFamilies.prepare(families, now: Int64(Date().timeIntervalSince1970 * 1000), redis: redis)
            await redis.shutdown()
        } catch {
            await redis.shutdown()
            throw error
        }
        let floor = try await FloorServers.start(binary: binary, count: 1, redisSocket: server.socketPath, families: families,
                                                 lifetime: .seconds(300), logPath: directory + "/floor.log",
                                                 environment: environment, launcher: launcher)
        do {
            let counter = count(floor.pids[0])
            let script = directory + "/refresh.lua"
            try LimitsBenchmark.wrkRefreshScript().write(toFile: script, atomically: true, encoding: .utf8)
            let url = "http://127.0.0.1:\(floor.port)/oauth/token"
            var runs: [(requests: Int, count: UInt64, cpu: Double)] = []
            for seconds in [2, 6] {
                let before = try await counter.read()
                let cpuBefore = try ProcessStat(pid: floor.pids[0]).cpuMicroseconds
                let (result, _) = try await LimitsBenchmark.runWrk(["-t1", "-c\(connections)", "-d\(seconds)s", "-s", script, url], seconds: seconds)
                try await Task.sleep(for: .milliseconds(300))
                try floor.ensureRunning()
                runs.append((result.requests, try await counter.read() - before, try ProcessStat(pid: floor.pids[0]).cpuMicroseconds - cpuBefore))
            }
            await floor.stop()
            let extra = Double(runs[1].requests - runs[0].requests)
            return Cost(operation: "baton-floor refresh", count: Double(runs[1].count - runs[0].count) / extra,
                        cpuMicroseconds: (runs[1].cpu - runs[0].cpu) / extra)
        } catch {
            await floor.stop()
            throw error
        }
    }

    /// The table of `costs` (the floor's last): the count per request, its ratio to the floor's,
    /// and, `showingCPU`, the CPU-µs per request (noisy; meaningless under valgrind).
    static func printTable(_ costs: [Cost], unit: String, showingCPU: Bool) {
        guard let floor = costs.last else { return }
        print("operation".padding(toLength: 42, withPad: " ", startingAt: 0) + String(repeating: " ", count: max(0, 14 - unit.count)) + unit + "   ratio to the floor"
              + (showingCPU ? "   CPU-µs (noisy)" : ""))
        for cost in costs {
            let name = cost.operation.padding(toLength: 42, withPad: " ", startingAt: 0)
            print(name + String(format: "%14.1f %20.2f", cost.count, cost.count / floor.count)
                  + (showingCPU ? String(format: "%17.0f", cost.cpuMicroseconds) : ""))
        }
    }

    /// Counts per second of the idle worker, over two seconds, from a second after a run (the
    /// worker still closes the run's connections and sessions in that second).
    private static func idleRate(_ count: some RunningCount) async throws -> Double {
        try await Task.sleep(for: .seconds(1))
        let before = try await count.read()
        try await Task.sleep(for: .seconds(2))
        return Double(try await count.read() - before) / 2
    }
}
