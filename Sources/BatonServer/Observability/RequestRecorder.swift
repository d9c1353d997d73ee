import Logging

/// Counts and logs one answered request: one log line at info (method, path without query,
/// status, milliseconds; never a token) and the request metrics. The router's middleware and
/// the token endpoint's event-loop path both record through it.
struct RequestRecorder: Sendable {
    let metrics: BatonMetrics
    let logger: Logger

    func record(method: String, path: String, endpoint: String, status: Int, since started: ContinuousClock.Instant) {
        let duration = ContinuousClock.now - started
        metrics.request(endpoint: endpoint, method: method, status: status, duration: duration)
        guard logger.logLevel <= .info else { return }
        let milliseconds = Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000
        logger.info("request", metadata: [
            "http.method": "\(method)",
            "http.path": "\(path)",
            "http.status": "\(status)",
            "http.duration_ms": "\((milliseconds * 1000).rounded() / 1000)",
        ])
    }

    /// Counts and logs (at debug) a request the client stopped sending before it was whole.
    func aborted(method: String, path: String, endpoint: String) {
        metrics.abortedRequest(endpoint: endpoint)
        logger.debug("request aborted by the client", metadata: ["http.method": "\(method)", "http.path": "\(path)"])
    }
}
