import Hummingbird
import Logging

/// Measures and logs every routed request once it has a response, and counts apart one the client
/// abandoned (`RequestRecorder`).
struct ObservabilityMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: BatonMetrics
    let accessLog: any AccessLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let recorder = RequestRecorder(metrics: metrics, accessLog: accessLog, logger: context.logger)
        let endpoint = context.endpointPath ?? "unmatched"
        do {
            let response = try await next(request, context)
            recorder.record(method: request.method.rawValue, path: request.uri.path, endpoint: endpoint,
                            status: response.status.code, since: started)
            return response
        } catch let abort as ClientAbort {
            recorder.aborted(method: request.method.rawValue, path: request.uri.path, endpoint: endpoint)
            throw abort
        }
    }
}
