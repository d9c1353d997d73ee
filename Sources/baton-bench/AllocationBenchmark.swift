import ArgumentParser
import BatonLocalServers
import Foundation

/// `make bench-allocations`: heap allocations per operation of one worker, counted exactly by
/// `libBatonAllocCount.so` preloaded into it (every malloc, calloc, realloc and aligned
/// allocation), next to the floor's (`baton-floor` with the same counter). Unlike rates and
/// CPU time these counts do not move with the machine's load, so builds compare by them.
struct AllocationBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocations",
        abstract: "make bench-allocations: heap allocations (and CPU-µs) per refresh, session creation and introspection of one worker, and per refresh of baton-floor."
    )

    @Option(help: "Requests of the shorter run; the longer one makes twice as many more.")
    var requests = 2000

    @Option(help: "Keep-alive connections of the load (baton-load and wrk alike).")
    var connections = 8

    @Option(help: "The worker's --log-level.")
    var logLevel = "warning"

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
        var costs: [PerRequestCounts.Cost]
        do {
            costs = try await PerRequestCounts.worker(workers, binaries: binaries, requests: requests, connections: connections, count: counter,
                                                      directory: directory) { cost, idle in
                print(String(format: "  %@: %.1f allocations, %.0f CPU-µs per request (idle: %.1f allocations/s)", cost.operation, cost.count,
                             cost.cpuMicroseconds, idle))
            }
            await workers.stop()
        } catch {
            await workers.stop()
            throw error
        }
        print("baton-floor (one process) with the same counter, driven by wrk…")
        let floorCounter = AllocationCounter(path: directory + "/floor.count")
        let floor = try await PerRequestCounts.floor(binaries + "/baton-floor", connections: connections, environment: floorCounter.environment(library: library),
                                                     directory: directory) { _ in floorCounter }
        print(String(format: "  baton-floor refresh: %.2f allocations, %.0f CPU-µs per request", floor.count, floor.cpuMicroseconds))
        costs.append(floor)

        print()
        print("heap allocations per request (exact counts, difference of a \(requests)- and a \(3 * requests)-request run)")
        PerRequestCounts.printTable(costs, unit: "allocations", showingCPU: true)
    }
}
