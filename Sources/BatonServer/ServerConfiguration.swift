import BatonCore

/// How one worker serves: where it listens, what it calls itself, its limits and defaults.
public struct ServerConfiguration: Sendable {
    /// Address to bind.
    public var host: String = "127.0.0.1"
    /// Port to bind (0: any free port).
    public var port: Int = 8080
    /// The `iss` of every token and the base of the metadata's URLs.
    public var issuer: String = "http://127.0.0.1:8080"
    /// Bearer token for `/admin` (nil: the admin API is disabled).
    public var adminToken: String?
    /// Policy for clients created without their own.
    public var defaultPolicy: ClientPolicy = .standard
    /// Largest request body accepted (413 beyond).
    public var bodyLimit: Int = 16 * 1024
    /// Leeway added to the access-token lifetime before a retired key leaves the JWKS (s).
    public var keyRetentionLeeway: Int64 = 60
    /// The JWKS `Cache-Control: max-age` (s).
    public var jwksMaxAge: Int = 60

    /// A configuration with every default.
    public init() {}
}
