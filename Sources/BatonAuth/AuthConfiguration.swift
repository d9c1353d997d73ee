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
    /// Whether every client's DPoP proofs must carry a server nonce (`--dpop-nonces`); a client's
    /// own `dpop_nonce` asks for them for that client alone.
    public var dpopNoncesRequired = false
    /// How far a DPoP proof's `iat` may be from the worker's time, either side (s; `--dpop-iat-window`).
    public var dpopIssuedAtWindow: Int64 = DPoPProofVerifier.defaultIssuedAtWindowSeconds

    /// What a worker's clock may differ from another's (ms), added to the DPoP replay window.
    public static let dpopReplayMargin: Int64 = 10_000

    /// How long a DPoP proof's `jti` is remembered (ms): a proof is accepted while its `iat` is
    /// within the window either side of a worker's time, so for twice the window, plus a margin
    /// for workers whose clocks differ.
    public var dpopReplayWindowMilliseconds: Int64 { 2 * dpopIssuedAtWindow * 1000 + Self.dpopReplayMargin }

    /// The token endpoint's URL as clients reach it (RFC 8414's `token_endpoint`): what a DPoP
    /// proof's `htu` must name.
    public var tokenEndpoint: String { issuerBase + "/oauth/token" }

    /// The revocation endpoint's URL as clients reach it (RFC 8414's `revocation_endpoint`): what
    /// the `htu` of a DPoP proof must name when a public client revokes a DPoP-bound token.
    public var revocationEndpoint: String { issuerBase + "/oauth/revoke" }

    /// A cookie-mode browser route's URL under the issuer (`path` such as `/browser/refresh`).
    public func browserEndpoint(_ path: String) -> String { issuerBase + path }

    /// The issuer without a trailing slash, the base of the endpoints' URLs.
    private var issuerBase: String { issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer }

    /// The JWKS `Cache-Control: max-age` (s): never longer than the rotation lead, so a resource
    /// server that refreshes on that schedule has seen every key before it signs.
    public var jwksMaxAge: Int { Int(max(0, min(300, rotationLead))) }

    /// A configuration with every default.
    public init() {}
}
