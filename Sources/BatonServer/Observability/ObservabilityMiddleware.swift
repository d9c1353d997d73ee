import Hummingbird
import Logging

/// Measures and logs every request once it has a response: one log line at info (method, path
/// without query, status, milliseconds; never a token) and the request metrics.
struct ObservabilityMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: BatonMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        Self.record(method: request.method.rawValue, path: request.uri.path, endpoint: context.endpointPath ?? "unmatched",
                    status: response.status.code, since: started, logger: context.logger, metrics: metrics)
        return response
    }

    /// Counts and logs one answered request; the token endpoint's event-loop path uses it too.
    static func record(method: String, path: String, endpoint: String, status: Int, since started: ContinuousClock.Instant,
                       logger: Logger, metrics: BatonMetrics) {
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
}
