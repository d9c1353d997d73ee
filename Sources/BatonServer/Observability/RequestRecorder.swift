import Logging

/// Counts and logs one answered request: the request metrics and one access line (`AccessLog`).
/// The router's middleware and the token endpoint's event-loop path both record through it.
struct RequestRecorder: Sendable {
    let metrics: BatonMetrics
    let accessLog: any AccessLog
    /// For the rare debug line of an abandoned request.
    let logger: Logger

    func record(method: String, path: String, endpoint: String, status: Int, since started: ContinuousClock.Instant) {
        let duration = ContinuousClock.now - started
        metrics.request(endpoint: endpoint, method: method, status: status, duration: duration)
        if accessLog.isEnabled { accessLog.request(method: method, path: path, status: status, duration: duration) }
    }

    /// Counts and logs (at debug) a request the client stopped sending before it was whole.
    func aborted(method: String, path: String, endpoint: String) {
        metrics.abortedRequest(endpoint: endpoint)
        logger.debug("request aborted by the client", metadata: ["http.method": "\(method)", "http.path": "\(path)"])
    }
}
