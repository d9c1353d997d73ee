import ArgumentParser
import BatonLocalServers
import Foundation

/// `make bench-instructions`: instructions per operation of one worker, counted exactly by
/// valgrind's callgrind, next to the floor's (`baton-floor` under callgrind too). Like allocation
/// counts, and unlike rates and CPU time, they do not move with the machine's load (`perf stat`
/// has no hardware counters on this VM). Under valgrind a process runs some fifty times slower,
/// so the runs are short; the counts per request are the same.
struct InstructionBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instructions",
        abstract: "make bench-instructions: instructions per refresh, session creation and introspection of one worker, and per refresh of baton-floor (valgrind --tool=callgrind)."
    )

    @Option(help: "Requests of the shorter run; the longer one makes twice as many more.")
    var requests = 300

    @Option(help: "Keep-alive connections of the load (baton-load and wrk alike); with one, each request is read, sent to Redis and answered alone, and counts repeat within a few per cent.")
    var connections = 1

    @Option(help: "The worker's --log-level.")
    var logLevel = "warning"

    func run() async throws {
        guard requests >= 50 else { throw ValidationError("--requests must be at least 50") }
        let binaries = try BatonBench.productsDirectory()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-instructions-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        print("one baton serve (--log-level \(logLevel)) under valgrind --tool=callgrind, on its own redis-server…")
        let workerOutput = directory + "/worker.callgrind"
        let workers = try await BatonServeProcesses.start(
            count: 1, binary: try await CallgrindCounter.strippedCopy(of: binaries + "/baton", in: directory),
            extra: ["--log-level", logLevel], launcher: try CallgrindCounter.launcher(outputFile: workerOutput), readyTimeout: .seconds(300))
        var costs: [PerRequestCounts.Cost]
        do {
            let counter = CallgrindCounter(outputFile: workerOutput, pid: workers.workers[0].process.pid)
            costs = try await PerRequestCounts.worker(workers, binaries: binaries, requests: requests, connections: connections, count: counter,
                                                      directory: directory) { cost, idle in
                print(String(format: "  %@: %.0f instructions per request (idle: %.0f instructions/s)", cost.operation, cost.count, idle))
            }
            await workers.stop()
        } catch {
            await workers.stop()
            throw error
        }
        print("baton-floor (one process) under callgrind, driven by wrk…")
        let floorOutput = directory + "/floor.callgrind"
        let floor = try await PerRequestCounts.floor(
            try await CallgrindCounter.strippedCopy(of: binaries + "/baton-floor", in: directory), connections: connections,
            launcher: try CallgrindCounter.launcher(outputFile: floorOutput), directory: directory
        ) { pid in CallgrindCounter(outputFile: floorOutput, pid: pid) }
        print(String(format: "  baton-floor refresh: %.0f instructions per request", floor.count))
        costs.append(floor)

        print()
        print("instructions per request (callgrind's exact counts, difference of a \(requests)- and a \(3 * requests)-request run)")
        PerRequestCounts.printTable(costs, unit: "instructions", showingCPU: false)
    }
}
