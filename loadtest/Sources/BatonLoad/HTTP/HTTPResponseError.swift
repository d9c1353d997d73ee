/// A response the harness cannot read: counted as a transport error, and the connection closed.
public enum HTTPResponseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not an HTTP/1.x response.
    case malformed(String)
    /// The response is framed in a way the harness does not read (it needs `Content-Length`).
    case unsupportedFraming(String)

    /// What was wrong, for the report.
    public var description: String {
        switch self {
        case .malformed(let reason): "malformed response: \(reason)"
        case .unsupportedFraming(let reason): "unsupported response framing: \(reason)"
        }
    }
}
