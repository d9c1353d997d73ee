/// What DPoP (RFC 9449) costs a refresh: baton-load's refresh scenario on one `baton cluster`,
/// without `--dpop` (bearer sessions) and with it (each user's sessions bound to its own ES256
/// key, every refresh carrying a fresh proof that a worker verifies before Redis and whose `jti`
/// the rotation script checks and stores), run in interleaved pairs so that the machine's swings
/// hit both alike. The rate is reported as the DPoP run's over the bearer run's in each pair.
struct DPoPCost: Encodable {
    let bearer: [LoadRun]
    let dpop: [LoadRun]
    /// Each pair's DPoP rate over its bearer rate, in run order.
    let rateRatios: [Double]
    /// Each pair's worker CPU per refresh with DPoP over without.
    let workerCPURatios: [Double]
    /// The median of the pairs' rate ratios (the mean of the middle two for an even count).
    let rateRatio: Double
    /// The median of the pairs' worker CPU ratios.
    let workerCPURatio: Double

    init(bearer: [LoadRun], dpop: [LoadRun]) {
        self.bearer = bearer
        self.dpop = dpop
        rateRatios = zip(dpop, bearer).map { $0.throughput / $1.throughput }
        workerCPURatios = zip(dpop, bearer).map { $0.workerMicroseconds / $1.workerMicroseconds }
        rateRatio = median(rateRatios)
        workerCPURatio = median(workerCPURatios)
    }

    enum CodingKeys: String, CodingKey {
        case bearer, dpop
        case rateRatios = "rate_ratios_dpop_to_bearer"
        case workerCPURatios = "worker_cpu_ratios_dpop_to_bearer"
        case rateRatio = "rate_ratio_dpop_to_bearer"
        case workerCPURatio = "worker_cpu_ratio_dpop_to_bearer"
    }

    /// `runs` pairs of closed-loop refresh runs of `seconds` on `cluster`, bearer then DPoP (`InterleavedRuns`).
    static func measure(_ cluster: BenchCluster, load: String, runs: Int, seconds: Int, arguments: [String],
                        directory: String) async throws -> DPoPCost {
        let results = try await InterleavedRuns(load: load, arguments: arguments, directory: directory)
            .run(on: [cluster, cluster], names: ["bearer", "dpop"], extra: [[], ["--dpop"]], rounds: runs, seconds: seconds)
        return DPoPCost(bearer: results[0], dpop: results[1])
    }
}
