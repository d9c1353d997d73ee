import ArgumentParser
import Foundation

/// The machine's own limits for a refresh's floor (DESIGN.md §9), measured in one run on
/// 127.0.0.1: ES256 signatures/s (`openssl speed`), rotation-script calls/s (`redis-benchmark`
/// running Baton's own script) and HTTP requests/s (`wrk` against nginx), each with the CPU-µs
/// it costs; then the refreshes/s they allow (`CostModel`).
///
/// ```sh
/// swift build -c release --product baton-bench
/// .build/release/baton-bench limits --json limits.json
/// ```
struct LimitsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limits",
        abstract: "The machine's limits: ES256 signs/s, rotation-script calls/s, HTTP requests/s, with CPU-µs each."
    )

    @Option(help: ArgumentHelp("Seconds per measurement (each of openssl speed's sign and verify passes, a redis-benchmark run, a wrk run).", valueName: "n"))
    var seconds = 3

    @Option(help: ArgumentHelp("Write the results as JSON to this file.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Baton's measured refreshes/s on this machine: prints its ratio to the predicted limit.",
                               valueName: "refreshes/s"))
    var measured: Double?

    @Option(help: ArgumentHelp("The load generator's own CPU-µs per request, in place of wrk's in the prediction.", valueName: "µs"))
    var loadGeneratorMicroseconds: Double?

    /// Runs per measurement; the median is reported.
    private static let runs = 3

    func validate() throws {
        guard seconds >= 1 else { throw ValidationError("--seconds must be at least 1") }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let machine = LimitsReport.Machine.current()
        print("\(machine.cores) cores, \(machine.cpuModel), Linux \(machine.kernel); \(Self.runs) runs of \(seconds) s each, medians reported")
        var commands: [String] = []

        print("ES256 signatures: openssl speed…")
        let es256 = try await Self.measureSignatures(seconds: seconds, runs: Self.runs, commands: &commands)
        print("Rotation script: redis-benchmark FCALL \(RefreshFunctionLibrary.functionName)…")
        let script = try await Self.measureScript(seconds: seconds, runs: Self.runs, families: 10_000, clients: 50,
                                                  commands: &commands)
        print("HTTP: wrk against nginx…")
        let http = try await Self.measureHTTP(seconds: seconds, runs: Self.runs, connections: 8, commands: &commands)

        let report = LimitsReport(machine: machine, es256: es256, script: script, http: http,
                                  commands: commands.reduce(into: []) { if !$0.contains($1) { $0.append($1) } })
        print()
        printTable(header: ["limit", "per s", "CPU-µs each", "CPU of"], rows: [
            ["ES256 signature", Self.format(es256.signsPerSecond, 0), Self.format(es256.cpuMicroseconds, 2), "openssl speed, 1 process"],
            ["rotation script", Self.format(script.callsPerSecond, 0), Self.format(script.redisCPUMicrosecondsPerCall, 2), "redis-server"],
            ["HTTP request, server", Self.format(http.requestsPerSecond, 0), Self.format(http.serverCPUMicroseconds, 2), "nginx, 1 worker"],
            ["HTTP request, client", "", Self.format(http.clientCPUMicroseconds, 2), "wrk -t1"],
        ])
        print("script: Baton's rotation script, rotating on every call, plus \(script.extra)")
        print("per s: as each tool reports it (openssl speed: per CPU-second of user time; redis-benchmark, wrk: wall clock)")
        print("CPU-µs: openssl 1e6 / rate; redis-server, nginx, wrk: CPU time from /proc/<pid>/stat per operation")

        let model = CostModel(signature: es256.cpuMicroseconds, script: script.redisCPUMicrosecondsPerCall,
                              httpServer: http.serverCPUMicroseconds, httpClient: http.clientCPUMicroseconds,
                              loadGenerator: loadGeneratorMicroseconds, cores: machine.cores)
        print()
        let client = loadGeneratorMicroseconds == nil ? "wrk's" : "the load generator's"
        print(String(format: "Floor per refresh: %.1f CPU-µs (client side: \(client)) → at most %.0f refreshes/s on %d cores",
                     model.microsecondsPerRefresh, model.predictedRefreshesPerSecond, model.cores))
        if let measured {
            print(String(format: "Baton: %.0f refreshes/s = %.2f of the prediction", measured, model.ratio(measured: measured)))
        }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
            print("JSON: \(json)")
        }
        print("Commands:")
        for command in report.commands { print("  \(command)") }
        print("Took \(started.duration(to: .now).components.seconds) s")
    }

    /// A command line as a shell would take it: arguments other than plain words single-quoted.
    static func commandLine(_ executable: String, _ arguments: [String]) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,+@%")
        return ([executable] + arguments).map { argument in
            !argument.isEmpty && argument.allSatisfy(plain.contains) ? argument : "'" + argument + "'"
        }.joined(separator: " ")
    }

    private static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
