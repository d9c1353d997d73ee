import BatonCore
import BatonStore
import Hummingbird
import Logging

/// The response an error becomes, for the router's middleware and the token endpoint's
/// event-loop path alike: Baton's own errors as they are, the store being away as 503
/// `temporarily_unavailable` (counted), framework errors (404, 405, 413) in their OAuth shape, and
/// anything unforeseen as a logged 500 that says nothing of its cause.
struct ErrorResponder: Sendable {
    let metrics: BatonMetrics
    let logger: Logger

    func response(for error: any Error) -> EndpointResponse {
        switch error {
        case let error as BatonError:
            if let debug = error.debug {
                logger.info("request refused", metadata: ["baton.error": "\(error.code.rawValue)", "baton.debug": "\(debug)"])
            }
            return .error(error)
        case let error as HTTPError:
            return .error(error)
        case let error as StoreError:
            metrics.redisError(error.kind)
            guard error.code == .unavailable else {
                logger.error("store error", metadata: ["redis.error": "\(error)"])
                return .error(BatonError(.serverError, hint: "internal error"))
            }
            logger.warning("redis unavailable", metadata: ["redis.error": "\(error)"])
            return .error(BatonError(.temporarilyUnavailable, hint: "the session store is unavailable; retry shortly"))
        case let error as any HTTPResponseError:
            return Self.translate(error.status)
        default:
            logger.error("unexpected error", metadata: ["error": "\(error)"])
            return .error(BatonError(.serverError, hint: "internal error"))
        }
    }

    private static func translate(_ status: HTTPResponse.Status) -> EndpointResponse {
        switch status {
        case .notFound: return .error(BatonError(.notFound, hint: "no such endpoint"))
        case .methodNotAllowed: return .error(HTTPError.methodNotAllowed)
        case .contentTooLarge: return .error(HTTPError.bodyTooLarge)
        default: return .error(BatonError(.invalidRequest, hint: "the request is malformed"))
        }
    }
}
