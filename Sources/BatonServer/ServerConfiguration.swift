import BatonAuth
import BatonCore

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
    /// The issuer, client defaults, key lifecycle and rate limits.
    public var auth = AuthConfiguration()

    /// A configuration with every default.
    public init() {}
}

extension ServerConfiguration: RedactedDescription {
    /// Everything but the admin token.
    public var publicFields: KeyValuePairs<String, Any> {
        ["host": host, "port": port, "workerID": workerID as Any, "reusePort": reusePort, "adminToken": redacted(adminToken),
         "bodyLimit": bodyLimit, "auth": auth]
    }
}
