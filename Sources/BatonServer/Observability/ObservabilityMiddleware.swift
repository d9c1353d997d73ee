import Hummingbird
import Logging

/// Measures and logs every request once it has a response: one log line at info (method, path
/// without query, status, milliseconds; never a token) and the request metrics.
struct ObservabilityMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: BatonMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let duration = ContinuousClock.now - started
        let endpoint = context.endpointPath ?? "unmatched"
        metrics.request(endpoint: endpoint, method: request.method.rawValue, status: response.status.code, duration: duration)
        let milliseconds = Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000
        context.logger.info("request", metadata: [
            "http.method": "\(request.method.rawValue)",
            "http.path": "\(request.uri.path)",
            "http.status": "\(response.status.code)",
            "http.duration_ms": "\((milliseconds * 1000).rounded() / 1000)",
        ])
        return response
    }
}
