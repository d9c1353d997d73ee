import NIOCore

/// What `TokenEndpointHandler` asks of the token endpoint: an answer to a framed request and the
/// counts of what it refused. `TokenEndpoint` is the worker's; tests drive the handler on an
/// `EmbeddedChannel` with answers of their own.
protocol TokenAnswering: Sendable {
    /// The largest body accepted (413 beyond).
    var bodyLimit: Int { get }

    /// Answers one request whose body has been read, given its `Content-Type`, `Authorization` and
    /// every `DPoP` value; `bodyTooLarge` when the body went over the limit.
    func respond(contentType: String?, authorization: String?, dpop: [String], body: ByteBuffer, bodyTooLarge: Bool,
                 from address: SocketAddress?) async -> EndpointResponse

    /// Counts a request for another endpoint whose `Content-Length` was over the limit.
    func recordOversizedRoutedRequest()
    /// Counts a connection closed because its client ran out of time in `phase`.
    func recordTimeout(_ phase: ConnectionPhase)
    /// Counts a connection refused because the worker holds as many as it allows.
    func recordRefusedConnection()
    /// Counts a token request whose client stopped sending before its body was whole.
    func recordAbort()
}
