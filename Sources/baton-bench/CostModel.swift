/// The CPU a refresh costs, part by part, and the refreshes/s a machine can do at best: every
/// core busy with nothing but the floor of DESIGN.md §9 (one signature, one script call, one
/// HTTP request served and one sent, when the load generator runs on the same machine).
///
/// ```swift
/// let model = CostModel(signature: 25, script: 13, httpServer: 18, httpClient: 14, cores: 2)
/// model.predictedRefreshesPerSecond   // 2 × 1e6 / 70 ≈ 28571
/// model.ratio(measured: 20_000)       // 0.7: Baton reaches 70 % of the machine's limit
/// ```
struct CostModel: Sendable, Equatable, Encodable {
    /// CPU-µs of one ES256 signature.
    var signature: Double
    /// CPU-µs of one rotation-script call inside Redis.
    var script: Double
    /// CPU-µs the server side of one minimal HTTP request costs (nginx's).
    var httpServer: Double
    /// CPU-µs the client side of one minimal HTTP request costs (wrk's).
    var httpClient: Double
    /// CPU-µs per request of the load generator actually used, when measured: it stands in for
    /// `httpClient` (counting both would charge the client twice).
    var loadGenerator: Double?
    /// Cores the whole refresh path shares.
    var cores: Int

    enum CodingKeys: String, CodingKey {
        case signature = "signature_us", script = "script_us", httpServer = "http_server_us"
        case httpClient = "http_client_us", loadGenerator = "load_generator_us", cores
    }

    /// CPU-µs one refresh costs at the floor.
    var microsecondsPerRefresh: Double {
        signature + script + httpServer + (loadGenerator ?? httpClient)
    }

    /// Refreshes/s with every core busy on the floor's work alone: cores × 1e6 / µs per refresh.
    var predictedRefreshesPerSecond: Double {
        Double(cores) * 1e6 / microsecondsPerRefresh
    }

    /// Measured refreshes/s as a fraction of the prediction (1 would be the machine's limit).
    func ratio(measured refreshesPerSecond: Double) -> Double {
        refreshesPerSecond / predictedRefreshesPerSecond
    }
}

extension CostModel {
    /// The model of the limits `baton-bench limits` measured; `loadGenerator` in place of wrk's
    /// client side when the load generator's own cost is known.
    init(_ limits: LimitsReport, loadGenerator: Double? = nil) {
        self.init(signature: limits.es256.cpuMicroseconds, script: limits.script.redisCPUMicrosecondsPerCall,
                  httpServer: limits.http.serverCPUMicroseconds, httpClient: limits.http.clientCPUMicroseconds,
                  loadGenerator: loadGenerator, cores: limits.machine.cores)
    }
}
