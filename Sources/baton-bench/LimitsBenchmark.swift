import ArgumentParser
import BatonLoad
import Foundation

/// The machine's own limits for a refresh's floor (DESIGN.md §9), measured in one run on
/// 127.0.0.1: ES256 signatures/s (`openssl speed`), rotation-script calls/s (`redis-benchmark`
/// running Baton's own script) and HTTP requests/s (`wrk` against nginx), each with the CPU-µs
/// it costs, and the refreshes/s they allow (`CostModel`); then the whole refresh done by a lean
/// C server (`baton-floor`), which measures what the model only adds up.
///
/// ```sh
/// swift build -c release --product baton-bench && swift build -c release --product baton-floor
/// .build/release/baton-bench limits --json limits.json
/// ```
struct LimitsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limits",
        abstract: "The machine's limits: ES256 signs/s, rotation-script calls/s, HTTP requests/s, refreshes/s in C, with CPU-µs each."
    )

    @Option(help: ArgumentHelp("Seconds per measurement (each of openssl speed's sign and verify passes, a redis-benchmark run, a wrk run).", valueName: "n"))
    var seconds = 3

    @Option(help: ArgumentHelp("Write the results as JSON to this file.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Baton's measured refreshes/s on this machine: prints its ratio to the predicted limit and to the C floor.",
                               valueName: "refreshes/s"))
    var measured: Double?

    @Option(help: ArgumentHelp("The load generator's own CPU-µs per request, in place of wrk's in the prediction.", valueName: "µs"))
    var loadGeneratorMicroseconds: Double?

    /// Runs per measurement; the median is reported.
    private static let runs = 3
    /// wrk's connections to baton-floor: as many as `make bench` gives baton-load.
    static let floorConnections = 32

    func validate() throws {
        guard seconds >= 1 else { throw ValidationError("--seconds must be at least 1") }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let report = try await Self.measure(seconds: seconds)
        Self.printLimits(report)
        let model = CostModel(report, loadGenerator: loadGeneratorMicroseconds)
        print()
        let client = loadGeneratorMicroseconds == nil ? "wrk's" : "the load generator's"
        print(String(format: "Floor per refresh: %.1f CPU-µs (client side: \(client)) → at most %.0f refreshes/s on %d cores",
                     model.microsecondsPerRefresh, model.predictedRefreshesPerSecond, model.cores))
        if let measured {
            print(String(format: "Baton: %.0f refreshes/s = %.2f of the prediction, %.2f of the C floor's rate", measured,
                         model.ratio(measured: measured), measured / report.floor.refreshesPerSecond))
        }
        if let json {
            try Self.write(report, to: json)
            print("JSON: \(json)")
        }
        print("Commands:")
        for command in report.commands { print("  \(command)") }
        print("Took \(started.duration(to: .now).components.seconds) s")
    }

    /// Measures the limits and the C floor, `runs` times each, `seconds` per measurement; medians.
    static func measure(seconds: Int) async throws -> LimitsReport {
        let machine = MachineInfo.current()
        print("\(machine.cores) cores, \(machine.cpuModel), \(machine.kernel); \(runs) runs of \(seconds) s each, medians reported")
        var commands: [String] = []
        print("ES256 signatures: openssl speed…")
        let es256 = try await measureSignatures(seconds: seconds, runs: runs, commands: &commands)
        print("Rotation script: redis-benchmark FCALL \(RefreshFunctionLibrary.functionName)…")
        let script = try await measureScript(seconds: seconds, runs: runs, families: 10_000, clients: 50, commands: &commands)
        print("HTTP: wrk against nginx…")
        let http = try await measureHTTP(seconds: seconds, runs: runs, connections: 8, commands: &commands)
        print("A whole refresh in C: wrk against baton-floor…")
        let floor = try await measureFloor(binary: try BatonBench.productsDirectory() + "/baton-floor", seconds: seconds, runs: runs,
                                           connections: floorConnections, families: 10_000, commands: &commands)
        return LimitsReport(machine: machine, es256: es256, script: script, http: http, floor: floor, commands: commands)
    }

    /// The limits as a table, with how each was measured.
    static func printLimits(_ report: LimitsReport) {
        let (es256, script, http, floor) = (report.es256, report.script, report.http, report.floor)
        print()
        printTable(header: ["limit", "per s", "CPU-µs each", "CPU of"], rows: [
            ["ES256 signature", format(es256.signsPerSecond, 0), format(es256.cpuMicroseconds, 2), "openssl speed, 1 process"],
            ["rotation script", format(script.callsPerSecond, 0), format(script.redisCPUMicrosecondsPerCall, 2), "redis-server"],
            ["HTTP request, server", format(http.requestsPerSecond, 0), format(http.serverCPUMicroseconds, 2), "nginx, 1 worker"],
            ["HTTP request, client", "", format(http.clientCPUMicroseconds, 2), "wrk -t1"],
            ["refresh in C, server", format(floor.refreshesPerSecond, 0), format(floor.serverCPUMicroseconds, 2),
             "baton-floor, \(floor.processes) processes"],
            ["refresh in C, Redis", "", format(floor.redisCPUMicroseconds, 2), "redis-server"],
            ["refresh in C, client", "", format(floor.clientCPUMicroseconds, 2), "wrk -t1 -c\(floor.connections)"],
        ])
        print("script: Baton's rotation script, rotating on every call, plus \(script.extra)")
        print("per s: as each tool reports it (openssl speed: per CPU-second of user time; redis-benchmark, wrk: wall clock)")
        print("refresh in C: baton-floor (loadtest/floor) frames the request, HMACs it, runs the script, signs, writes; every answer a rotation")
        print("CPU-µs: openssl 1e6 / rate; redis-server, nginx, baton-floor, wrk: CPU time from /proc/<pid>/stat per operation")
    }

    /// Writes `value` as sorted, indented JSON.
    static func write(_ value: some Encodable, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(value).write(to: URL(fileURLWithPath: path))
    }

    /// A command line as a shell would take it: arguments other than plain words single-quoted.
    static func commandLine(_ executable: String, _ arguments: [String]) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,+@%")
        return ([executable] + arguments).map { argument in
            !argument.isEmpty && argument.allSatisfy(plain.contains) ? argument : "'" + argument + "'"
        }.joined(separator: " ")
    }

    static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
