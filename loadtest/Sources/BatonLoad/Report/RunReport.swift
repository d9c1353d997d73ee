/// The machine-readable result of a run (`--json FILE`); loadtest/README.md documents each field.
public struct RunReport: Sendable, Codable, Equatable, JSONReport {
    /// Which harness produced the report, and how it was invoked (secrets redacted).
    public struct Harness: Sendable, Codable, Equatable {
        /// `BatonLoadVersion.current`.
        public var version: String
        /// The arguments, secrets redacted.
        public var commandLine: [String]

        enum CodingKeys: String, CodingKey {
            case version
            case commandLine = "command_line"
        }
    }

    /// One operation's numbers.
    public struct OperationReport: Sendable, Codable, Equatable {
        /// Answers received.
        public var requests: Int
        /// Answers judged failures.
        public var failures: Int
        /// Their latency.
        public var latencyMs: LatencySummary

        enum CodingKeys: String, CodingKey {
            case requests, failures
            case latencyMs = "latency_ms"
        }
    }

    /// Scenario-specific settings in force.
    public struct Settings: Sendable, Codable, Equatable {
        /// `--timeout` in seconds.
        public var timeoutS: Double
        /// mixed: the weights.
        public var mix: String?
        /// storm: concurrent refreshes per token.
        public var stormSize: Int?
        /// The public client's grace window (nil: the server's default).
        public var gracePeriodS: Int?
        /// rotation: seconds between rotations.
        public var rotateEveryS: Double?
        /// rotation: the algorithms cycled.
        public var rotationAlgorithms: [String]?
        /// theft: rotations before each replay.
        public var theftRotations: Int?
        /// Whether access tokens were verified.
        public var verifyAccessTokens: Bool
        /// `--expect-faults`: 503s and transport errors are counted but do not fail the run.
        public var faultsExpected: Bool?
        /// `--dpop`: sessions bound to each user's key, a proof with every refresh and logout.
        public var dpop: Bool?
        /// `--dpop-nonce`: the run's client required DPoP nonces.
        public var dpopNonce: Bool?
        /// The run id naming clients and subjects.
        public var runID: String

        enum CodingKeys: String, CodingKey {
            case timeoutS = "timeout_s"
            case mix
            case stormSize = "storm_size"
            case gracePeriodS = "grace_period_s"
            case rotateEveryS = "rotate_every_s"
            case rotationAlgorithms = "rotation_algorithms"
            case theftRotations = "theft_rotations"
            case verifyAccessTokens = "verify_access_tokens"
            case faultsExpected = "faults_expected"
            case dpop
            case dpopNonce = "dpop_nonce"
            case runID = "run_id"
        }
    }

    /// The harness version and command line.
    public var harness: Harness
    /// The scenario played.
    public var scenario: Scenario
    /// "closed" or "open".
    public var mode: String
    /// The base URLs.
    public var targets: [String]
    /// Connections opened.
    public var connections: Int
    /// Requests per second asked for (open loop), or nil.
    public var rate: Double?
    /// Virtual users (0 for healthz).
    public var users: Int
    /// Event-loop threads used.
    public var threads: Int
    /// Their scheduling policy.
    public var scheduling: ThreadScheduling
    /// Measured seconds.
    public var durationS: Double
    /// The requested `--requests`, or nil.
    public var requestLimit: Int?
    /// Answers received in the measured phase.
    public var requests: Int
    /// Responses per second over the measured phase.
    public var throughput: Double
    /// Latency over all measured requests.
    public var latencyMs: LatencySummary
    /// Numbers per operation.
    public var operations: [String: OperationReport]
    /// The correctness counters.
    public var correctness: CorrectnessCounters
    /// What the scenario did besides requests.
    public var activity: ActivityCounters
    /// Open loop: requests whose intended send time passed before the end but that were never sent.
    public var unsent: Int
    /// One point per second.
    public var timeline: [TimelinePoint]
    /// Scenario settings in force.
    public var settings: Settings
    /// The machine the harness ran on.
    public var machine: MachineInfo
    /// When the measured phase started (ISO 8601, UTC).
    public var startedAt: String
    /// Details worth reading: the last transport error, verification problems, warnings.
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case harness = "baton_load"
        case scenario, mode, targets, connections, rate, users, threads, scheduling
        case durationS = "duration_s"
        case requestLimit = "request_limit"
        case requests, throughput
        case latencyMs = "latency_ms"
        case operations, correctness
        case activity, unsent, timeline, settings, machine
        case startedAt = "started_at"
        case notes
    }

    /// The keys of the members derived from others: written for readers of the JSON, not read back.
    private enum DerivedKeys: String, CodingKey {
        case successes
        case correctnessFailures = "correctness_failures"
        case unavailable
        case transportErrors = "transport_errors"
        case loggedOutByFault = "logged_out_by_fault"
        case passed
    }

    /// Answers judged correct.
    public var successes: Int { requests - operations.values.reduce(0) { $0 + $1.failures } }
    /// The sum of the correctness counters; the run failed when it is not zero.
    public var correctnessFailures: Int {
        correctness.total - (settings.faultsExpected == true ? correctness.unavailable + correctness.transportErrors : 0)
    }
    /// 503 `temporarily_unavailable` answers (also in `correctness`).
    public var unavailable: Int { correctness.unavailable }
    /// Transport errors (also in `correctness`).
    public var transportErrors: Int { correctness.transportErrors }
    /// Sessions logged out by a fault (also in `correctness`).
    public var loggedOutByFault: Int { correctness.loggedOutByFault }
    /// Whether every correctness counter is zero.
    public var passed: Bool { correctnessFailures == 0 }

    /// Encodes every member and the derived ones; `rate` and `request_limit` as `null` when not
    /// set, so the schema always has them.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var derived = encoder.container(keyedBy: DerivedKeys.self)
        try container.encode(harness, forKey: .harness)
        try container.encode(scenario, forKey: .scenario)
        try container.encode(mode, forKey: .mode)
        try container.encode(targets, forKey: .targets)
        try container.encode(connections, forKey: .connections)
        try container.encode(rate, forKey: .rate)
        try container.encode(users, forKey: .users)
        try container.encode(threads, forKey: .threads)
        try container.encode(scheduling, forKey: .scheduling)
        try container.encode(durationS, forKey: .durationS)
        try container.encode(requestLimit, forKey: .requestLimit)
        try container.encode(requests, forKey: .requests)
        try derived.encode(successes, forKey: .successes)
        try container.encode(throughput, forKey: .throughput)
        try container.encode(latencyMs, forKey: .latencyMs)
        try container.encode(operations, forKey: .operations)
        try container.encode(correctness, forKey: .correctness)
        try derived.encode(correctnessFailures, forKey: .correctnessFailures)
        try derived.encode(unavailable, forKey: .unavailable)
        try derived.encode(transportErrors, forKey: .transportErrors)
        try derived.encode(loggedOutByFault, forKey: .loggedOutByFault)
        try container.encode(activity, forKey: .activity)
        try container.encode(unsent, forKey: .unsent)
        try container.encode(timeline, forKey: .timeline)
        try container.encode(settings, forKey: .settings)
        try container.encode(machine, forKey: .machine)
        try container.encode(startedAt, forKey: .startedAt)
        try derived.encode(passed, forKey: .passed)
        try container.encode(notes, forKey: .notes)
    }
}
