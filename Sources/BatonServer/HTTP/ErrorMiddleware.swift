import BatonCore
import BatonRedis
import Hummingbird
import Logging

/// Turns every error into an RFC 6749 §5.2 JSON response: Baton's own errors as they are, Redis
/// being away as 503 `temporarily_unavailable`, framework errors (404, 405, 413) into their OAuth
/// shape, and anything unforeseen into a logged 500 that says nothing of its cause.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: BatonMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as BatonError {
            if let debug = error.debug {
                context.logger.info("request refused", metadata: ["baton.error": "\(error.code.rawValue)", "baton.debug": "\(debug)"])
            }
            return .error(error)
        } catch let error as RedisError {
            metrics.redisError(error.code.rawValue)
            guard error.isTransient || error.code == .shutdown else {
                context.logger.error("redis error", metadata: ["redis.error": "\(error)"])
                return .error(BatonError(.serverError, hint: "internal error"))
            }
            context.logger.warning("redis unavailable", metadata: ["redis.error": "\(error)"])
            return .error(BatonError(.temporarilyUnavailable, hint: "the session store is unavailable; retry shortly"))
        } catch let error as any HTTPResponseError {
            return .error(Self.translate(error.status))
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)"])
            return .error(BatonError(.serverError, hint: "internal error"))
        }
    }

    private static func translate(_ status: HTTPResponse.Status) -> BatonError {
        switch status {
        case .notFound: return BatonError(.notFound, hint: "no such endpoint")
        case .methodNotAllowed: return BatonError(.methodNotAllowed, hint: "method not allowed on this endpoint")
        case .contentTooLarge: return BatonError(.requestTooLarge, hint: "the request body is too large")
        default: return BatonError(.invalidRequest, hint: "the request is malformed")
        }
    }
}
