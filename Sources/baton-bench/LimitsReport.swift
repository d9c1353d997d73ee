import BatonLoad

/// What `baton-bench limits` measured, as written to its JSON file: the machine, its four
/// limits (medians over the runs) and the exact commands that measured them.
///
/// ```json
/// {"machine": {"cores": 2, "cpu_model": "AMD EPYC", "kernel": "Linux 6.1.0"},
///  "es256": {"signs_per_s": 39000, "cpu_us": 25.6},
///  "script": {"calls_per_s": 52000, "redis_cpu_us_per_call": 17.9, "extra": "…"},
///  "http": {"requests_per_s": 60000, "server_cpu_us": 14.2, "client_cpu_us": 15.8},
///  "floor": {"refreshes_per_s": 12000, "server_cpu_us": 73.2, "redis_cpu_us": 33.5, "client_cpu_us": 23.0,
///            "processes": 2, "connections": 32},
///  "commands": ["openssl speed -seconds 3 ecdsap256", …]}
/// ```
struct LimitsReport: Encodable {
    /// ES256 signing with `openssl speed` in one process.
    struct Signatures: Encodable {
        /// Signatures per second.
        var signsPerSecond: Double
        /// CPU time per signature (µs): 1e6 / rate, the process being CPU-bound on one core.
        var cpuMicroseconds: Double

        enum CodingKeys: String, CodingKey {
            case signsPerSecond = "signs_per_s"
            case cpuMicroseconds = "cpu_us"
        }
    }

    /// Baton's rotation script called by `redis-benchmark`.
    struct Script: Encodable {
        /// Calls per second as `redis-benchmark` reports them (wall clock).
        var callsPerSecond: Double
        /// redis-server's CPU time per call (µs): the script's cost inside Redis.
        var redisCPUMicrosecondsPerCall: Double
        /// What each call does beyond the production script.
        var extra: String

        enum CodingKeys: String, CodingKey {
            case callsPerSecond = "calls_per_s"
            case redisCPUMicrosecondsPerCall = "redis_cpu_us_per_call"
            case extra
        }
    }

    /// `wrk` against nginx answering a fixed token-sized response.
    struct HTTP: Encodable {
        /// Requests per second as `wrk` reports them.
        var requestsPerSecond: Double
        /// The nginx worker's CPU time per request (µs).
        var serverCPUMicroseconds: Double
        /// wrk's CPU time per request (µs).
        var clientCPUMicroseconds: Double

        enum CodingKeys: String, CodingKey {
            case requestsPerSecond = "requests_per_s"
            case serverCPUMicroseconds = "server_cpu_us"
            case clientCPUMicroseconds = "client_cpu_us"
        }
    }

    /// `baton-floor` (loadtest/floor): a refresh's floor work in plain C, driven by `wrk`.
    struct Floor: Encodable {
        /// Refreshes per second as `wrk` reports them.
        var refreshesPerSecond: Double
        /// The floor processes' CPU time per refresh (µs), all of them together.
        var serverCPUMicroseconds: Double
        /// redis-server's CPU time per refresh (µs).
        var redisCPUMicroseconds: Double
        /// wrk's CPU time per refresh (µs).
        var clientCPUMicroseconds: Double
        /// Floor processes (one per core).
        var processes: Int
        /// wrk's keep-alive connections.
        var connections: Int

        enum CodingKeys: String, CodingKey {
            case refreshesPerSecond = "refreshes_per_s"
            case serverCPUMicroseconds = "server_cpu_us"
            case redisCPUMicroseconds = "redis_cpu_us"
            case clientCPUMicroseconds = "client_cpu_us"
            case processes, connections
        }
    }

    /// The machine.
    var machine: MachineInfo
    /// The signing limit.
    var es256: Signatures
    /// The rotation-script limit.
    var script: Script
    /// The HTTP limit.
    var http: HTTP
    /// What a lean C server does with the whole refresh.
    var floor: Floor
    /// Every measuring command, exactly as run, in order.
    var commands: [String]
}
