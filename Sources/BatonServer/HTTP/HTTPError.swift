import HTTPTypes

/// A request refused for its HTTP form rather than by Baton's rules: a body too large, a media
/// type not accepted, a method the route lacks. Answered in the same JSON shape as `BatonError`.
struct HTTPError: Error, Sendable, Equatable {
    /// The status answered.
    var status: HTTPResponse.Status
    /// The `error` member.
    var code: String
    /// The client-safe `error_description`.
    var hint: String

    /// 413: the body is over the limit.
    static let bodyTooLarge = HTTPError(status: .contentTooLarge, code: "request_too_large", hint: "the request body is too large")
    /// 400: a request to switch protocols (`Upgrade`, `CONNECT`); Baton speaks HTTP/1.1 only.
    static let switchingProtocols = HTTPError(status: .badRequest, code: "invalid_request",
                                              hint: "protocol upgrades and CONNECT are not supported")
    /// 408: the request's head or body did not arrive in time.
    static let requestTimeout = HTTPError(status: .requestTimeout, code: "invalid_request",
                                          hint: "the request did not arrive in time")
    /// 503: the worker holds as many connections as it allows.
    static let tooManyConnections = HTTPError(status: .serviceUnavailable, code: "temporarily_unavailable",
                                              hint: "too many connections; retry shortly")
    /// 405: the route exists for other methods.
    static let methodNotAllowed = HTTPError(status: .methodNotAllowed, code: "method_not_allowed",
                                            hint: "method not allowed on this endpoint")

    /// 415: the body is not of the media type the endpoint reads.
    static func unsupportedMediaType(expected: String) -> HTTPError {
        HTTPError(status: .unsupportedMediaType, code: "unsupported_media_type", hint: "the request body must be \(expected)")
    }
}
