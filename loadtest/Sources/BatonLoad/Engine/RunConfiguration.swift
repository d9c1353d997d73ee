/// Everything a run needs to know, checked by `validate()`.
///
/// ```swift
/// var configuration = RunConfiguration(scenario: .refresh, targets: [try LoadTarget(parsing: "http://127.0.0.1:8080")])
/// configuration.adminToken = token
/// configuration.duration = .seconds(10)
/// let report = try await LoadRunner(configuration: configuration).run()
/// ```
public struct RunConfiguration: Sendable {
    /// What to play.
    public var scenario: Scenario
    /// Base URLs; connections are spread over them round robin.
    public var targets: [LoadTarget]
    /// The admin bearer token (every scenario but healthz needs it).
    public var adminToken: String?
    /// Virtual users (each holds one session at a time). The storm scenario uses one user per
    /// `stormSize` connections instead.
    public var users = 100
    /// Keep-alive connections.
    public var connections = 16
    /// Requests per second for an open loop; nil for a closed loop.
    public var rate: Double?
    /// How long the measured phase lasts (with `requests`, the longest it may last).
    public var duration: Duration = .seconds(10)
    /// Stop after this many requests instead of after `duration`.
    public var requests: Int?
    /// Event-loop threads of the harness.
    public var threads = 1
    /// The scheduling policy of those threads.
    public var scheduling = ThreadScheduling.batch
    /// How long a request may go unanswered before its connection is closed and it counts as a
    /// transport error.
    public var timeout: Duration = .seconds(5)
    /// The mixed scenario's ratios.
    public var mix = OperationMix.standard
    /// Concurrent refreshes of one token in the storm scenario.
    public var stormSize = 50
    /// The grace window (seconds) of the run's public client; nil: the server's default. The theft
    /// scenario always uses 0.
    public var gracePeriod: Int?
    /// How often the rotation scenario rotates the signing key.
    public var rotateEvery: Duration = .seconds(1)
    /// The algorithms the rotation scenario rotates through, in turn.
    public var rotationAlgorithms = ["ES256", "EdDSA", "RS256"]
    /// Whether every access token received is verified against the JWKS (always in rotation).
    public var verifyAccessTokens = false
    /// The run injects a fault (a store failover, a restart): 503 `temporarily_unavailable` answers
    /// and transport errors are counted and printed but do not fail it; sessions logged out by the
    /// fault still do.
    public var faultsExpected = false
    /// Legitimate rotations before each replay in the theft scenario.
    public var theftRotations = 2
    /// DPoP (RFC 9449): each user holds its own ES256 key, its sessions are bound to it (`dpop_jkt`)
    /// and every refresh and logout carries a fresh proof; the theft scenario's thief has the token
    /// but not the key.
    public var dpop = false
    /// With `dpop`, the run's public client requires DPoP nonces (`dpop_nonce`): a user's first
    /// proof is answered `use_dpop_nonce`, and it makes the proof again with the nonce.
    public var dpopNonce = false
    /// Names the run's clients (`load-<id>-login`, `load-<id>-app`) and subjects (`load-<id>-u<n>`).
    public var runID: String
    /// Whether the run's clients are left in place at the end.
    public var keepClients = false
    /// The command line, with secrets redacted, for the report.
    public var commandLine: [String] = []

    /// A configuration with defaults and a random run id.
    public init(scenario: Scenario, targets: [LoadTarget]) {
        self.scenario = scenario
        self.targets = targets
        runID = String((0..<8).map { _ in "0123456789abcdef".randomElement()! })
    }

    /// The most users a `--dpop` run plays: each holds an OpenSSL key, generated during setup.
    public static let maximumDPoPUsers = 100_000

    /// Whether the run is an open loop.
    public var isOpenLoop: Bool { rate != nil }

    /// The grace window the run's public client gets.
    var clientGracePeriod: Int? { scenario == .theft ? 0 : gracePeriod }

    /// Whether access tokens are verified.
    var verifies: Bool { verifyAccessTokens || scenario == .rotation }

    /// The users actually played.
    var effectiveUsers: Int { scenario == .storm ? max(1, connections / stormSize) : users }

    /// The connections actually opened.
    var effectiveConnections: Int { scenario == .storm ? effectiveUsers * stormSize : connections }

    /// Throws `LoadError.usage` for settings that cannot work.
    public func validate() throws {
        guard !targets.isEmpty else { throw LoadError.usage("give at least one --url") }
        guard connections >= 1, connections <= 10_000 else { throw LoadError.usage("--connections must be 1 to 10000") }
        guard users >= 1, users <= 1_000_000 else { throw LoadError.usage("--users must be 1 to 1000000") }
        guard threads >= 1, threads <= 64 else { throw LoadError.usage("--threads must be 1 to 64") }
        guard duration > .zero else { throw LoadError.usage("--duration must be positive") }
        guard timeout > .zero else { throw LoadError.usage("--timeout must be positive") }
        if let rate, !(rate > 0 && rate.isFinite) { throw LoadError.usage("--rate must be a positive number of requests per second") }
        if let requests, requests < 1 { throw LoadError.usage("--requests must be at least 1") }
        if scenario.needsUsers && (adminToken ?? "").isEmpty {
            throw LoadError.usage("the \(scenario) scenario creates clients through the admin API: give --admin-token or --admin-token-file")
        }
        if scenario == .storm {
            guard stormSize >= 2 else { throw LoadError.usage("--storm-size must be at least 2") }
            guard rate == nil else { throw LoadError.usage("the storm scenario is a closed loop: its rounds wait for every answer (drop --rate)") }
        }
        if scenario == .theft, theftRotations < 1 { throw LoadError.usage("--theft-rotations must be at least 1") }
        if dpop {
            guard scenario.needsUsers else { throw LoadError.usage("--dpop needs a scenario with users (not \(scenario))") }
            guard effectiveUsers <= Self.maximumDPoPUsers else {
                throw LoadError.usage("--dpop holds a key per user: at most \(Self.maximumDPoPUsers) users")
            }
        }
        if dpopNonce, !dpop { throw LoadError.usage("--dpop-nonce goes with --dpop") }
        if let gracePeriod, !(0...300).contains(gracePeriod) { throw LoadError.usage("--grace must be 0 to 300 seconds") }
        if scenario == .rotation {
            guard rotateEvery >= .milliseconds(100) else { throw LoadError.usage("--rotate-every must be at least 100ms") }
            let known = ["ES256", "EdDSA", "RS256"]
            guard !rotationAlgorithms.isEmpty, rotationAlgorithms.allSatisfy(known.contains) else {
                throw LoadError.usage("--rotate-algs takes ES256, EdDSA and RS256, separated by commas")
            }
        }
        guard runID.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }), !runID.isEmpty, runID.count <= 32 else {
            throw LoadError.usage("--run-id must be 1-32 letters, digits or dashes")
        }
    }
}
