import BatonAuth
import BatonCore
import NIOCore

/// How one worker serves: where it listens, what it calls itself, its limits, and the rules'
/// settings (`auth`).
public struct ServerConfiguration: Sendable {
    /// Address to bind.
    public var host: String = "127.0.0.1"
    /// Port to bind (0: any free port).
    public var port: Int = 8080
    /// This worker's name in the `Baton-Worker` response header (nil: no header).
    public var workerID: String?
    /// Set SO_REUSEPORT so several worker processes can accept on one port (`baton cluster`).
    public var reusePort: Bool = false
    /// Bearer token for `/admin` (nil: the admin API is disabled).
    public var adminToken: String?
    /// Largest request body accepted (413 beyond).
    public var bodyLimit: Int = 16 * 1024
    /// A keep-alive connection with no request under way is closed after this.
    public var keepAliveTimeout: Duration = .seconds(60)
    /// A request's head must arrive whole within this of its first byte (else 408 and closed).
    public var headerTimeout: Duration = .seconds(10)
    /// A request's body must arrive whole within this of its head's end (else 408 and closed).
    public var bodyTimeout: Duration = .seconds(30)
    /// Connections one worker holds open at once; one more is answered 503 and closed.
    public var maxConnections: Int = 10_000
    /// The issuer, client defaults, key lifecycle and rate limits.
    public var auth = AuthConfiguration()

    /// A configuration with every default.
    public init() {}
}

extension ServerConfiguration: RedactedDescription {
    /// Everything but the admin token.
    public var publicFields: KeyValuePairs<String, Any> {
        ["host": host, "port": port, "workerID": workerID as Any, "reusePort": reusePort, "adminToken": redacted(adminToken),
         "bodyLimit": bodyLimit, "keepAliveTimeout": keepAliveTimeout, "headerTimeout": headerTimeout,
         "bodyTimeout": bodyTimeout, "maxConnections": maxConnections, "auth": auth]
    }
}

extension ServerConfiguration {
    /// The limits each connection gets.
    var connectionLimits: ConnectionLimits {
        ConnectionLimits(keepAliveTimeout: TimeAmount(keepAliveTimeout), headerTimeout: TimeAmount(headerTimeout),
                         bodyTimeout: TimeAmount(bodyTimeout), maxConnections: maxConnections)
    }
}
