import Foundation

/// The machine-readable result of a run (`--json FILE`); loadtest/README.md documents each field.
public struct RunReport: Sendable, Codable, Equatable {
    /// Which harness produced the report, and how it was invoked (secrets redacted).
    public struct Harness: Sendable, Codable, Equatable {
        public var version: String
        public var commandLine: [String]

        enum CodingKeys: String, CodingKey {
            case version
            case commandLine = "command_line"
        }
    }

    /// One operation's numbers.
    public struct OperationReport: Sendable, Codable, Equatable {
        public var requests: Int
        public var failures: Int
        public var latencyMs: LatencySummary

        enum CodingKeys: String, CodingKey {
            case requests, failures
            case latencyMs = "latency_ms"
        }
    }

    /// Scenario-specific settings in force.
    public struct Settings: Sendable, Codable, Equatable {
        public var timeoutS: Double
        public var mix: String?
        public var stormSize: Int?
        public var gracePeriodS: Int?
        public var rotateEveryS: Double?
        public var rotationAlgorithms: [String]?
        public var theftRotations: Int?
        public var verifyAccessTokens: Bool
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
            case runID = "run_id"
        }
    }

    public var harness: Harness
    public var scenario: Scenario
    /// "closed" or "open".
    public var mode: String
    public var targets: [String]
    public var connections: Int
    /// Requests per second asked for (open loop), or nil.
    public var rate: Double?
    public var users: Int
    public var threads: Int
    /// Measured seconds.
    public var durationS: Double
    /// The requested `--requests`, or nil.
    public var requestLimit: Int?
    public var requests: Int
    public var successes: Int
    /// Responses per second over the measured phase.
    public var throughput: Double
    public var latencyMs: LatencySummary
    public var operations: [String: OperationReport]
    public var correctness: CorrectnessCounters
    /// The sum of the correctness counters; the run failed when it is not zero.
    public var correctnessFailures: Int
    public var transportErrors: Int
    public var activity: ActivityCounters
    /// Open loop: requests whose intended send time passed before the end but that were never sent.
    public var unsent: Int
    public var timeline: [TimelinePoint]
    public var settings: Settings
    public var machine: MachineInfo
    /// When the measured phase started (ISO 8601, UTC).
    public var startedAt: String
    /// Whether every correctness counter is zero.
    public var passed: Bool
    /// Details worth reading: the last transport error, verification problems, warnings.
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case harness = "baton_load"
        case scenario, mode, targets, connections, rate, users, threads
        case durationS = "duration_s"
        case requestLimit = "request_limit"
        case requests, successes, throughput
        case latencyMs = "latency_ms"
        case operations, correctness
        case correctnessFailures = "correctness_failures"
        case transportErrors = "transport_errors"
        case activity, unsent, timeline, settings, machine
        case startedAt = "started_at"
        case passed, notes
    }

    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
