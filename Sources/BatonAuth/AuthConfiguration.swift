import BatonCore
import BatonCrypto

/// The rules' settings shared by every worker: the issuer, client defaults, key lifecycle and
/// rate limits.
public struct AuthConfiguration: Sendable {
    /// The `iss` of every token and the base of the metadata's URLs.
    public var issuer: String = "http://127.0.0.1:8080"
    /// Policy for clients created without their own.
    public var defaultPolicy: ClientPolicy = .standard
    /// How long a retired key stays in the JWKS (s): the longest access-token lifetime a client
    /// can have (one day) plus a minute of leeway, so every token it signed still verifies.
    public var keyRetention: Int64 = 86_400 + 60
    /// The lead time of a rotation (s): a new key is published this long before it signs.
    public var rotationLead: Int64 = 300
    /// Rotate automatically this often (s); nil: only on request.
    public var rotationPeriod: Int64?
    /// The algorithm of keys this worker generates.
    public var signingAlgorithm: SigningAlgorithm = .es256
    /// How often each worker checks the keyset version, in case a broadcast was lost.
    public var keysetPollInterval: Duration = .seconds(1)
    /// Token-endpoint requests per window allowed per client, across all workers (nil: no limit).
    public var rateLimitPerClient: Int?
    /// Token-endpoint requests per window allowed per source address (nil: no limit).
    public var rateLimitPerAddress: Int?
    /// The rate-limit window (one second: the limits are per second).
    public var rateLimitWindow: Duration = .seconds(1)

    /// The JWKS `Cache-Control: max-age` (s): never longer than the rotation lead, so a resource
    /// server that refreshes on that schedule has seen every key before it signs.
    public var jwksMaxAge: Int { Int(max(0, min(300, rotationLead))) }

    /// A configuration with every default.
    public init() {}
}
