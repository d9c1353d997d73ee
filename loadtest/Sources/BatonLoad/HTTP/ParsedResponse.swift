import NIOCore

/// One HTTP/1.1 response as the harness needs it: the status, whether the connection stays open,
/// the body (a slice of the bytes read, not a copy) and the `DPoP-Nonce` header, if any.
public struct ParsedResponse: Sendable {
    /// The status code.
    public var status: Int
    /// False when the server answered `Connection: close` (or spoke HTTP/1.0 without keep-alive).
    public var keepAlive: Bool
    /// The body, exactly `Content-Length` bytes.
    public var body: ByteBuffer
    /// The `DPoP-Nonce` header's value (RFC 9449 §8), a slice of the bytes read; nil when absent.
    public var dpopNonce: ByteBuffer?

    /// Creates a response (tests and the parser).
    public init(status: Int, keepAlive: Bool = true, body: ByteBuffer = ByteBuffer(), dpopNonce: ByteBuffer? = nil) {
        self.status = status
        self.keepAlive = keepAlive
        self.body = body
        self.dpopNonce = dpopNonce
    }

    /// The body as text (setup and error messages; never on the hot path).
    public var text: String { String(buffer: body) }
}
