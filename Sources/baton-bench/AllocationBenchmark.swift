import ArgumentParser
import BatonLoad
import BatonLocalServers
import BatonRedis
import Foundation

/// `make bench-allocations`: heap allocations per operation of one worker, counted exactly by
/// `libBatonAllocCount.so` preloaded into it (every malloc, calloc, realloc and aligned
/// allocation), next to the floor's (`baton-floor` with the same counter). Unlike rates and
/// CPU time these counts do not move with the machine's load, so builds compare by them.
///
/// Each operation is run twice by baton-load with a different number of requests after the same
/// setup (clients, sessions); the difference of the counts over the difference of the requests
/// is the cost of one request, setup and start-up cancelled out.
struct AllocationBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocations",
        abstract: "make bench-allocations: heap allocations (and CPU-µs) per refresh, session creation and introspection of one worker, and per refresh of baton-floor."
    )

    @Option(help: "Requests of the shorter run; the longer one makes twice as many more.")
    var requests = 2000

    @Option(help: "The worker's --log-level.")
    var logLevel = "warning"

    /// One operation of baton-load: its scenario arguments and how the table names it.
    private struct Operation {
        let name: String
        let arguments: [String]
    }

    private static let operations = [
        Operation(name: "refresh (POST /oauth/token)", arguments: ["--scenario", "refresh"]),
        Operation(name: "session creation (POST /v1/sessions)", arguments: ["--scenario", "mixed", "--mix", "create=1"]),
        Operation(name: "introspection (POST /oauth/introspect)", arguments: ["--scenario", "mixed", "--mix", "introspect=1"]),
    ]

    /// Allocations and CPU per operation.
    struct Cost: Encodable {
        let operation: String
        let allocations: Double
        let cpuMicroseconds: Double
    }

    func run() async throws {
        guard requests >= 100 else { throw ValidationError("--requests must be at least 100") }
        let binaries = try BatonBench.productsDirectory()
        let library = binaries + "/libBatonAllocCount.so"
        guard FileManager.default.fileExists(atPath: library) else {
            throw ValidationError("\(library) is missing: swift build -c release --product BatonAllocCount")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-allocations-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        print("one baton serve (--log-level \(logLevel)) with libBatonAllocCount.so preloaded, on its own redis-server…")
        let counter = AllocationCounter(path: directory + "/baton.count")
        let workers = try await BatonServeProcesses.start(count: 1, binary: binaries + "/baton", extra: ["--log-level", logLevel],
                                                           environment: counter.environment(library: library))
        var costs: [Cost] = []
        do {
            let tokenFile = directory + "/admin.token"
            try workers.adminToken.write(toFile: tokenFile, atomically: true, encoding: .utf8)
            let pid = workers.workers[0].process.pid
            let target = ["--url", "http://127.0.0.1:\(workers.workers[0].port)", "--admin-token-file", tokenFile,
                          "--users", "64", "--connections", "8", "--no-progress"]
            let idle = try await counter.idleRate()
            print(String(format: "  idle: %.1f allocations/s (timers, keyset poll)", idle))
            for operation in Self.operations {
                let short = try await measure(binaries + "/baton-load", target + operation.arguments, requests: requests,
                                              counter: counter, pid: pid, directory: directory)
                let long = try await measure(binaries + "/baton-load", target + operation.arguments, requests: 3 * requests,
                                             counter: counter, pid: pid, directory: directory)
                let extra = Double(long.requests - short.requests)
                let cost = Cost(operation: operation.name, allocations: Double(long.allocations - short.allocations) / extra,
                                cpuMicroseconds: (long.cpuMicroseconds - short.cpuMicroseconds) / extra)
                print(String(format: "  %@: %.1f allocations, %.0f CPU-µs per request", cost.operation, cost.allocations,
                             cost.cpuMicroseconds))
                costs.append(cost)
            }
            await workers.stop()
        } catch {
            await workers.stop()
            throw error
        }
        print("baton-floor (one process) with the same counter, driven by wrk…")
        let floor = try await measureFloor(binaries + "/baton-floor", library: library, directory: directory)
        print(String(format: "  baton-floor refresh: %.2f allocations, %.0f CPU-µs per request", floor.allocations, floor.cpuMicroseconds))
        costs.append(floor)

        print()
        print("heap allocations per request (exact counts, difference of a \(requests)- and a \(3 * requests)-request run)")
        print("operation                                   allocations   CPU-µs (noisy)")
        for cost in costs {
            let name = cost.operation.padding(toLength: 42, withPad: " ", startingAt: 0)
            print(name + String(format: "%13.1f %16.0f", cost.allocations, cost.cpuMicroseconds))
        }
    }

    /// One baton-load run of `requests` requests: how many it made, and the worker's allocations
    /// and CPU-µs meanwhile (read once its last answers are written).
    private func measure(_ load: String, _ arguments: [String], requests: Int, counter: AllocationCounter, pid: pid_t,
                         directory: String) async throws -> (requests: Int, allocations: UInt64, cpuMicroseconds: Double) {
        let json = directory + "/run.json"
        let before = try counter.read()
        let cpuBefore = try ProcessStat(pid: pid).cpuMicroseconds
        let (status, output) = try await runToCompletion(load, ["run", "--requests", String(requests), "--json", json] + arguments,
                                                         timeout: .seconds(600))
        try await Task.sleep(for: .milliseconds(300))
        let allocations = try counter.read() - before
        let cpu = try ProcessStat(pid: pid).cpuMicroseconds - cpuBefore
        guard status == 0, let data = FileManager.default.contents(atPath: json),
              let report = try? JSONDecoder().decode(RunReport.self, from: data), report.passed
        else { throw LocalServerError("baton-load exited with \(status):\n\(output)") }
        return (report.requests, allocations, cpu)
    }

    /// One baton-floor process with the counter, on a redis-server holding the benchmark's
    /// families, under wrk's refresh-shaped POST for 2 and then 6 seconds.
    private func measureFloor(_ binary: String, library: String, directory: String) async throws -> Cost {
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
        let counter = AllocationCounter(path: directory + "/floor.count")
        let floor = try await FloorServers.start(binary: binary, count: 1, redisSocket: server.socketPath, families: families,
                                                 lifetime: .seconds(60), logPath: directory + "/floor.log",
                                                 environment: counter.environment(library: library))
        do {
            let script = directory + "/refresh.lua"
            try LimitsBenchmark.wrkRefreshScript().write(toFile: script, atomically: true, encoding: .utf8)
            let url = "http://127.0.0.1:\(floor.port)/oauth/token"
            var runs: [(requests: Int, allocations: UInt64, cpu: Double)] = []
            for seconds in [2, 6] {
                let before = try counter.read()
                let cpuBefore = try ProcessStat(pid: floor.pids[0]).cpuMicroseconds
                let (result, _) = try await LimitsBenchmark.runWrk(["-t1", "-c8", "-d\(seconds)s", "-s", script, url], seconds: seconds)
                try await Task.sleep(for: .milliseconds(300))
                try floor.ensureRunning()
                runs.append((result.requests, try counter.read() - before, try ProcessStat(pid: floor.pids[0]).cpuMicroseconds - cpuBefore))
            }
            await floor.stop()
            let extra = Double(runs[1].requests - runs[0].requests)
            return Cost(operation: "baton-floor refresh", allocations: Double(runs[1].allocations - runs[0].allocations) / extra,
                        cpuMicroseconds: (runs[1].cpu - runs[0].cpu) / extra)
        } catch {
            await floor.stop()
            throw error
        }
    }
}

/// The count `libBatonAllocCount.so` keeps in a file shared with the process it is preloaded into.
struct AllocationCounter {
    let path: String

    /// What the counted process needs in its environment.
    func environment(library: String) -> [String: String] {
        ["LD_PRELOAD": library, "BATON_ALLOC_COUNT_FILE": path]
    }

    /// The allocations counted so far.
    func read() throws -> UInt64 {
        guard let data = FileManager.default.contents(atPath: path), data.count >= 8 else {
            throw LocalServerError("no allocation count in \(path): was the library preloaded?")
        }
        return data.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    /// Allocations per second of the idle process, over two seconds.
    func idleRate() async throws -> Double {
        let before = try read()
        try await Task.sleep(for: .seconds(2))
        return Double(try read() - before) / 2
    }
}
