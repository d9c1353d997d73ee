import Hummingbird

/// Turns every error of a routed request into an RFC 6749 §5.2 JSON response (`ErrorResponder`);
/// a client that stopped sending is passed on as `ClientAbort`.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: BatonMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch where ClientAbort.caused(error) {
            throw ClientAbort()
        } catch {
            return Response(ErrorResponder(metrics: metrics, logger: context.logger).response(for: error))
        }
    }
}
