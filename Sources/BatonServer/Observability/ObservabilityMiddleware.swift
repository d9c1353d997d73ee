import Hummingbird
import Logging

/// Measures and logs every routed request once it has a response (`RequestRecorder`).
struct ObservabilityMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: BatonMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        RequestRecorder(metrics: metrics, logger: context.logger).record(
            method: request.method.rawValue, path: request.uri.path, endpoint: context.endpointPath ?? "unmatched",
            status: response.status.code, since: started)
        return response
    }
}
