import NIOHTTP1

/// A request the client stopped sending before it was whole (it half-closed or disconnected in
/// the middle of the head or body). The client's doing, not the server's: answered 400 when the
/// client can still read, logged at debug, and counted in `baton_http_aborted_requests_total`
/// instead of the request metrics, so it never raises the 5xx rate.
struct ClientAbort: Error, Sendable {
    /// The client-safe answer, for a client that only half-closed.
    static let answer = HTTPError(status: .badRequest, code: "invalid_request",
                                  hint: "the request ended before its body was complete")

    /// Whether `error` means the request's stream ended early (NIO's decoder saw the end of input
    /// inside a message).
    static func caused(_ error: any Error) -> Bool {
        error is ClientAbort || (error as? HTTPParserError) == .invalidEOFState
    }
}
