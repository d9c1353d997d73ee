import ArgumentParser
import BatonLoad
import Foundation

/// `baton-load run`: one scenario, with a summary, an optional JSON report and an optional plot.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Runs a scenario against Baton and checks correctness alongside speed.",
        discussion: "Scenarios:\n" + Scenario.allCases.map { "  \($0.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \($0.summary)" }
            .joined(separator: "\n")
    )

    @Option(help: "The scenario to run (see above).")
    var scenario: Scenario = .refresh

    @OptionGroup var target: TargetOptions

    @Option(help: "The admin bearer token (prefer --admin-token-file or BATON_ADMIN_TOKEN: ps shows arguments).")
    var adminToken: String?

    @Option(help: "A file holding the admin token, e.g. data/admin.token.")
    var adminTokenFile: String?

    @Option(help: "Virtual users; each holds one session.")
    var users = 100

    @Option(help: "Open loop: requests per second at fixed intended send times (default: closed loop).")
    var rate: Double?

    @Option(help: "Stop after this many requests (--duration then caps the run).")
    var requests: Int?

    @Option(help: "mixed: relative weights, e.g. create=1,refresh=8,introspect=1,revoke=0.2.")
    var mix = OperationMix.standard.description

    @Option(help: "storm: concurrent refreshes of one token (one storm per storm-size connections).")
    var stormSize = 50

    @Option(help: "Grace window in seconds of the run's public client (default: the server's; theft always uses 0).")
    var grace: Int?

    @Option(help: "rotation: how often the signing key rotates.")
    var rotateEvery = "1s"

    @Option(help: "rotation: the algorithms to rotate through, comma separated.")
    var rotateAlgs = "ES256,EdDSA,RS256"

    @Flag(help: "Verify every access token against the JWKS (always on in rotation).")
    var verify = false

    @Flag(help: "A fault run (a store failover, a restart): 503 temporarily_unavailable and transport errors are counted but do not fail it; sessions logged out by the fault still do.")
    var expectFaults = false

    @Option(help: "theft: legitimate rotations before each replay.")
    var theftRotations = 2

    @Flag(help: "DPoP (RFC 9449): each user holds its own ES256 key, its sessions are bound to it and every refresh and logout carries a fresh proof; in theft the thief has the token but not the key.")
    var dpop = false

    @Flag(help: "With --dpop: the run's client requires DPoP nonces (dpop_nonce); users retry with the DPoP-Nonce they are given.")
    var dpopNonce = false

    @Option(help: "Names the run's clients load-ID-login/load-ID-app and subjects load-ID-uN (default: random).")
    var runID: String?

    @Flag(help: "Leave the run's clients in place at the end.")
    var keepClients = false

    @Flag(help: "No live progress line.")
    var noProgress = false

    @Option(help: "Write the JSON report to this file.")
    var json: String?

    @Option(help: "Write an SVG chart (throughput and p99 per second) to this file.")
    var plot: String?

    func run() async throws {
        let trap = SignalTrap()
        let report = try await ExitCodes.mapping {
            let configuration = try makeConfiguration()
            return try await LoadRunner(configuration: configuration, progress: noProgress ? nil : ProgressLine.forTerminal(),
                                        stopRequest: trap.stop).run()
        }
        withExtendedLifetime(trap) {}
        printOutput(report.summary())
        try await ExitCodes.mapping {
            if let json { try report.json().write(to: URL(fileURLWithPath: json)) }
            if let plot { try Data(SVGChart.render(report).utf8).write(to: URL(fileURLWithPath: plot)) }
        }
        if !report.passed {
            printError("baton-load: CORRECTNESS FAILURES: \(report.correctnessFailures) (see above)")
            throw ExitCodes.correctness
        }
    }

    private func makeConfiguration() throws -> RunConfiguration {
        var configuration = RunConfiguration(scenario: scenario, targets: try target.targets())
        configuration.adminToken = try adminTokenValue()
        configuration.users = users
        configuration.connections = target.connections
        configuration.rate = rate
        configuration.duration = try DurationText.parse(target.duration ?? (requests == nil ? "10s" : "10m"), option: "--duration")
        configuration.requests = requests
        configuration.threads = target.threads
        if let scheduling = target.scheduling { configuration.scheduling = scheduling }
        configuration.timeout = try DurationText.parse(target.timeout, option: "--timeout")
        configuration.mix = try OperationMix(parsing: mix)
        configuration.stormSize = stormSize
        configuration.gracePeriod = grace
        configuration.rotateEvery = try DurationText.parse(rotateEvery, option: "--rotate-every")
        configuration.rotationAlgorithms = rotateAlgs.split(separator: ",").map { String($0) }
        configuration.verifyAccessTokens = verify
        configuration.faultsExpected = expectFaults
        configuration.theftRotations = theftRotations
        configuration.dpop = dpop
        configuration.dpopNonce = dpopNonce
        if let runID { configuration.runID = runID }
        configuration.keepClients = keepClients
        configuration.commandLine = CommandLine.redactedArguments
        return configuration
    }

    private func adminTokenValue() throws -> String? {
        if let adminToken { return adminToken }
        if let adminTokenFile {
            guard let contents = try? String(contentsOfFile: adminTokenFile, encoding: .utf8) else {
                throw LoadError.usage("--admin-token-file \(adminTokenFile): cannot read it")
            }
            return contents.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return ProcessInfo.processInfo.environment["BATON_ADMIN_TOKEN"]
    }
}

extension Scenario: ExpressibleByArgument {}
