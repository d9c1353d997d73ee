/// The lifetimes a client's sessions and tokens get, whether it must use DPoP (RFC 9449), and
/// whether its refresh tokens live in browser cookies (cookie mode, DESIGN.md §5b).
/// Every field has the service-wide default unless the client overrides it.
public struct ClientPolicy: Sendable, Equatable, Codable {
    /// Access-token lifetime in seconds (default 5 minutes).
    public var accessTokenTTL: Int
    /// Sliding idle timeout of a session in seconds: each refresh extends it (default 14 days).
    public var idleTimeout: Int
    /// Absolute lifetime of a session in seconds, refreshes or not (default 90 days).
    public var absoluteLifetime: Int
    /// Grace window in seconds in which the previous refresh token still yields the current
    /// successor (default 10; 0 disables it).
    public var gracePeriod: Int
    /// `require_dpop`: sessions must be bound to a DPoP key (`dpop_jkt`) and every token request
    /// must carry a proof (default false).
    public var requireDPoP: Bool
    /// `dpop_nonce`: the client's DPoP proofs must carry a server nonce (RFC 9449 §8; default false).
    public var dpopNonce: Bool
    /// `cookie_mode`: a public browser client whose refresh tokens live only in an HttpOnly cookie,
    /// refreshed at `/browser/refresh` from `allowedOrigins` (default false).
    public var cookieMode: Bool
    /// `allowed_origins`: the exact origins (`BrowserOrigin`, canonical) a cookie-mode client's pages
    /// run on; browser requests from any other origin are refused.
    public var allowedOrigins: [String]

    /// The service-wide defaults.
    public static let standard = ClientPolicy(accessTokenTTL: 300, idleTimeout: 14 * 86_400,
                                              absoluteLifetime: 90 * 86_400, gracePeriod: 10)

    /// Creates a policy.
    public init(accessTokenTTL: Int, idleTimeout: Int, absoluteLifetime: Int, gracePeriod: Int,
                requireDPoP: Bool = false, dpopNonce: Bool = false, cookieMode: Bool = false, allowedOrigins: [String] = []) {
        self.accessTokenTTL = accessTokenTTL
        self.idleTimeout = idleTimeout
        self.absoluteLifetime = absoluteLifetime
        self.gracePeriod = gracePeriod
        self.requireDPoP = requireDPoP
        self.dpopNonce = dpopNonce
        self.cookieMode = cookieMode
        self.allowedOrigins = allowedOrigins
    }

    enum CodingKeys: String, CodingKey {
        case accessTokenTTL = "access_token_ttl"
        case idleTimeout = "idle_timeout"
        case absoluteLifetime = "absolute_lifetime"
        case gracePeriod = "grace_period"
        case requireDPoP = "require_dpop"
        case dpopNonce = "dpop_nonce"
        case cookieMode = "cookie_mode"
        case allowedOrigins = "allowed_origins"
    }

    /// Decodes a stored policy; one stored before DPoP or cookie mode gets false for `require_dpop`,
    /// `dpop_nonce` and `cookie_mode`, and no allowed origins.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accessTokenTTL = try container.decode(Int.self, forKey: .accessTokenTTL)
        idleTimeout = try container.decode(Int.self, forKey: .idleTimeout)
        absoluteLifetime = try container.decode(Int.self, forKey: .absoluteLifetime)
        gracePeriod = try container.decode(Int.self, forKey: .gracePeriod)
        requireDPoP = try container.decodeIfPresent(Bool.self, forKey: .requireDPoP) ?? false
        dpopNonce = try container.decodeIfPresent(Bool.self, forKey: .dpopNonce) ?? false
        cookieMode = try container.decodeIfPresent(Bool.self, forKey: .cookieMode) ?? false
        allowedOrigins = try container.decodeIfPresent([String].self, forKey: .allowedOrigins) ?? []
    }

    /// Whether `origin` (an `Origin` header's value) is one of the allowed origins, exactly.
    public func allows(origin: String) -> Bool {
        allowedOrigins.contains(origin)
    }

    /// The accepted access-token lifetimes (s).
    public static let accessTokenTTLRange: ClosedRange<Int> = 10...86_400
    /// The accepted idle timeouts (s).
    public static let idleTimeoutRange: ClosedRange<Int> = 60...(5 * 365 * 86_400)
    /// The accepted absolute lifetimes (s).
    public static let absoluteLifetimeRange: ClosedRange<Int> = 60...(5 * 365 * 86_400)
    /// The accepted grace windows (s; 0 disables it).
    public static let gracePeriodRange: ClosedRange<Int> = 0...300

    /// Throws `invalid_request` unless every value is in its sensible range.
    public func validate() throws {
        func check(_ value: Int, _ range: ClosedRange<Int>, _ name: String) throws {
            guard range.contains(value) else {
                throw BatonError(.invalidRequest, hint: "\(name) must be between \(range.lowerBound) and \(range.upperBound) seconds")
            }
        }
        try check(accessTokenTTL, Self.accessTokenTTLRange, CodingKeys.accessTokenTTL.rawValue)
        try check(idleTimeout, Self.idleTimeoutRange, CodingKeys.idleTimeout.rawValue)
        try check(absoluteLifetime, Self.absoluteLifetimeRange, CodingKeys.absoluteLifetime.rawValue)
        try check(gracePeriod, Self.gracePeriodRange, CodingKeys.gracePeriod.rawValue)
        guard idleTimeout <= absoluteLifetime else {
            throw BatonError(.invalidRequest, hint: "idle_timeout must not exceed absolute_lifetime")
        }
        guard !cookieMode || !allowedOrigins.isEmpty else {
            throw BatonError(.invalidRequest, hint: "cookie_mode needs allowed_origins: the exact origins of the app's pages")
        }
        guard allowedOrigins.count <= 32 else {
            throw BatonError(.invalidRequest, hint: "allowed_origins may hold at most 32 origins")
        }
    }
}
