/// Every error the Redis client reports: what happened, and the server's message where there is one.
public struct RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of failure a caller may want to tell apart.
    public enum Code: String, Sendable, Equatable {
        /// The server answered with an error reply (the message is the server's text).
        case server
        /// The command got no reply within its timeout.
        case timeout
        /// No connection to the server is up right now (connecting, or backing off after a failure).
        case notConnected
        /// The connection closed while the command was in flight: it may or may not have run.
        case connectionClosed
        /// The connection could not be established (refused, unreachable, handshake failed).
        case connectFailed
        /// The bytes from the server are not valid RESP.
        case protocolViolation
        /// A URL or setting is malformed.
        case invalidConfiguration
        /// The reply had another shape than the caller expected.
        case unexpectedReply
        /// The client was shut down.
        case shutdown
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable description (for `.server`, the server's own message, e.g. "NOSCRIPT ...").
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The first word of a server error (`ERR`, `NOSCRIPT`, `WRONGTYPE`, …), or nil.
    public var serverErrorPrefix: Substring? {
        guard code == .server else { return nil }
        return message.split(separator: " ", maxSplits: 1).first
    }

    /// Whether the failure should pass by itself: the server is away, slow, or busy loading its
    /// data or running a script, rather than refusing the command for good.
    public var isTransient: Bool {
        switch code {
        case .timeout, .notConnected, .connectionClosed, .connectFailed:
            return true
        case .server:
            return ["LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN"].contains(serverErrorPrefix ?? "")
        default:
            return false
        }
    }

    public var description: String { "redis \(code.rawValue): \(message)" }
}
