import ArgumentParser
import BatonLoad
import Foundation

/// `baton-load overhead`: the harness and wrk on `GET /healthz`, same connections and duration,
/// one after the other; prints both rates and the ratio.
struct OverheadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overhead",
        abstract: "Measures the harness's own overhead: GET /healthz with baton-load, then with wrk.",
        discussion: "The harness should reach at least 80 % of wrk's rate; wrk comes from the Debian package wrk."
    )

    @OptionGroup var target: TargetOptions

    @Option(help: "wrk's threads (default: the harness's --threads).")
    var wrkThreads: Int?

    @Option(help: "An unmeasured harness run first, to warm the server up.")
    var warmup = "1s"

    @Option(help: "Rounds of baton-load then wrk; the medians are compared.")
    var rounds = 3

    @Option(help: "Write the JSON comparison to this file.")
    var json: String?

    func run() async throws {
        let report = try await ExitCodes.mapping {
            let targets = try target.targets()
            guard targets.count == 1 else { throw LoadError.usage("overhead compares on one --url") }
            guard (1...20).contains(rounds) else { throw LoadError.usage("--rounds must be 1 to 20") }
            var configuration = RunConfiguration(scenario: .healthz, targets: targets)
            configuration.connections = target.connections
            configuration.threads = target.threads
            // Like for like: wrk runs under the default policy.
            configuration.scheduling = target.scheduling ?? .normal
            configuration.timeout = try DurationText.parse(target.timeout, option: "--timeout")
            configuration.duration = try DurationText.parse(target.duration ?? "10s", option: "--duration")
            configuration.commandLine = CommandLine.redactedArguments
            try configuration.validate()   // before the warm-up, which runs with its own duration
            let warmupDuration = try DurationText.parse(warmup, option: "--warmup")
            if warmupDuration > .zero {
                var warming = configuration
                warming.duration = warmupDuration
                _ = try await LoadRunner(configuration: warming).run()
            }
            var harness: [RunReport] = []
            var wrk: [WrkResult] = []
            for _ in 0..<rounds {
                harness.append(try await LoadRunner(configuration: configuration, progress: ProgressLine.forTerminal()).run())
                wrk.append(try await WrkResult.run(url: targets[0].description + "/healthz", connections: configuration.connections,
                                                   threads: wrkThreads ?? configuration.threads, duration: configuration.duration))
            }
            return OverheadReport(harness: harness, wrk: wrk)
        }
        printOutput(report.summary())
        if let json { try await ExitCodes.mapping { try report.json().write(to: URL(fileURLWithPath: json)) } }
        if !report.harness.passed {
            printError("baton-load: the harness saw \(report.harness.correctnessFailures) failures on /healthz")
            throw ExitCodes.correctness
        }
    }
}
