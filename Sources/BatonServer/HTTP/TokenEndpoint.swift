import BatonCore
import Logging
import NIOCore

/// `POST /oauth/token` as one function from a request to a response, with the error mapping,
/// metrics and log line the router's middleware would add: what `TokenEndpointHandler` runs on
/// the connection's event loop, outside the router.
struct TokenEndpoint: TokenAnswering {
    static let path = "/oauth/token"

    let controller: OAuthController<BatonRequestContext>
    /// The largest body accepted (413 beyond).
    let bodyLimit: Int
    let metrics: BatonMetrics
    let accessLog: any AccessLog
    let logger: Logger

    private var recorder: RequestRecorder { RequestRecorder(metrics: metrics, accessLog: accessLog, logger: logger) }

    /// Answers one request whose body has been read, given its `Content-Type`, `Authorization` and
    /// every `DPoP` value; `bodyTooLarge` when the body went over the limit.
    func respond(contentType: String?, authorization: String?, dpop: [String], body: ByteBuffer, bodyTooLarge: Bool,
                 from address: SocketAddress?) async -> EndpointResponse {
        let started = ContinuousClock.now
        let response: EndpointResponse
        do {
            guard !bodyTooLarge else { throw HTTPError.bodyTooLarge }
            try requireMediaType(contentType, "application/x-www-form-urlencoded")
            let token = try await controller.token(authorization: authorization, dpop: dpop, body: body, from: address)
            response = .token(token)
        } catch {
            response = ErrorResponder(metrics: metrics, logger: logger).response(for: error)
        }
        recorder.record(
            method: "POST", path: Self.path, endpoint: Self.path, status: response.status.code, since: started)
        return response
    }

    /// Counts a request for another endpoint whose `Content-Length` was over the limit (answered 413
    /// before its body was read).
    func recordOversizedRoutedRequest() {
        metrics.request(endpoint: "unrouted", method: "-", status: 413, duration: .zero)
    }

    /// Counts a connection closed because its client ran out of time in `phase`.
    func recordTimeout(_ phase: ConnectionPhase) {
        metrics.connectionTimedOut(phase: phase.rawValue)
        logger.debug("connection timed out", metadata: ["baton.connection.phase": "\(phase.rawValue)"])
    }

    /// Counts a connection refused because the worker holds as many as it allows.
    func recordRefusedConnection() {
        metrics.connectionRefused()
        logger.warning("connection refused: the worker holds as many connections as --max-connections allows")
    }

    /// Counts and logs a token request whose client stopped sending before its body was whole.
    func recordAbort() {
        recorder.aborted(method: "POST", path: Self.path, endpoint: Self.path)
    }
}
