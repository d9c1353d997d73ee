import BatonCore

/// The settings of a client an administrator creates or changes; absent fields keep their
/// current (or default) values.
public struct ClientDraft: Sendable {
    /// The client id (generated when creating without one).
    public var clientID: String?
    /// True for a public client (no secret: SPAs, mobile apps).
    public var isPublic: Bool?
    /// Allowed grants.
    public var grantTypes: [Client.GrantType]?
    /// Scopes the client may hold.
    public var allowedScopes: [String]?
    /// Extra permissions, e.g. `sessions` for a login backend.
    public var permissions: [Client.Permission]?
    /// The `aud` of its access tokens.
    public var audience: String?
    /// Lifetimes in seconds.
    public var accessTokenTTL: Int?
    public var idleTimeout: Int?
    public var absoluteLifetime: Int?
    public var gracePeriod: Int?
    /// Whether sessions must be DPoP-bound and token requests carry a proof (`require_dpop`).
    public var requireDPoP: Bool?
    /// Whether its DPoP proofs must carry a server nonce (`dpop_nonce`).
    public var dpopNonce: Bool?
    /// Whether it is a cookie-mode browser client (`cookie_mode`; public clients only).
    public var cookieMode: Bool?
    /// The exact origins of its pages (`allowed_origins`).
    public var allowedOrigins: [String]?

    /// An empty draft: every field default.
    public init() {}

    /// Every member a JSON draft may have.
    static let members: Set<String> = [
        "client_id", "public", "grant_types", "allowed_scopes", "permissions", "audience",
        "access_token_ttl", "idle_timeout", "absolute_lifetime", "grace_period", "require_dpop", "dpop_nonce",
        "cookie_mode", "allowed_origins",
    ]

    /// Reads a draft from a JSON body (`POST`/`PATCH /admin/clients`), strictly: an unknown
    /// member, a duplicate, a wrong type or a value out of range is `invalid_request` naming it.
    public init(json bytes: [UInt8]) throws {
        let body = try JSONObjectReader(bytes, allowed: Self.members)
        clientID = try body.string("client_id")
        isPublic = try body.bool("public")
        grantTypes = try Self.values(body, "grant_types", as: Client.GrantType.self)
        allowedScopes = try body.strings("allowed_scopes")
        permissions = try Self.values(body, "permissions", as: Client.Permission.self)
        audience = try body.string("audience")
        accessTokenTTL = try Self.seconds(body, "access_token_ttl", ClientPolicy.accessTokenTTLRange)
        idleTimeout = try Self.seconds(body, "idle_timeout", ClientPolicy.idleTimeoutRange)
        absoluteLifetime = try Self.seconds(body, "absolute_lifetime", ClientPolicy.absoluteLifetimeRange)
        gracePeriod = try Self.seconds(body, "grace_period", ClientPolicy.gracePeriodRange)
        requireDPoP = try body.bool("require_dpop")
        dpopNonce = try body.bool("dpop_nonce")
        cookieMode = try body.bool("cookie_mode")
        allowedOrigins = try body.strings("allowed_origins")
    }

    private static func seconds(_ body: JSONObjectReader, _ name: String, _ range: ClosedRange<Int>) throws -> Int? {
        try body.integer(name, in: Int64(range.lowerBound)...Int64(range.upperBound)).map { Int($0) }
    }

    private static func values<Value: RawRepresentable & CaseIterable>(
        _ body: JSONObjectReader, _ name: String, as type: Value.Type
    ) throws -> [Value]? where Value.RawValue == String {
        try body.strings(name).map { names in
            try names.map { text in
                guard let value = Value(rawValue: text) else {
                    let known = Value.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                    throw BatonError(.invalidRequest, hint: "'\(name)' may hold only \(known)")
                }
                return value
            }
        }
    }

    /// `client` with this draft's fields applied, checked.
    func applied(to client: Client) throws -> Client {
        var client = client
        if let grantTypes { client.grantTypes = grantTypes }
        if let allowedScopes {
            let scope = try Scope(parsing: allowedScopes.joined(separator: " "))
            guard scope.tokens.count == allowedScopes.count else {
                throw BatonError(.invalidRequest, hint: "each allowed scope must be one distinct scope token")
            }
            client.allowedScopes = scope.tokens
        }
        if let permissions { client.permissions = permissions }
        if let audience {
            guard !audience.isEmpty, audience.utf8.count <= 512 else {
                throw BatonError(.invalidRequest, hint: "audience must be 1 to 512 bytes")
            }
            client.audience = audience
        }
        if let accessTokenTTL { client.policy.accessTokenTTL = accessTokenTTL }
        if let idleTimeout { client.policy.idleTimeout = idleTimeout }
        if let absoluteLifetime { client.policy.absoluteLifetime = absoluteLifetime }
        if let gracePeriod { client.policy.gracePeriod = gracePeriod }
        if let requireDPoP { client.policy.requireDPoP = requireDPoP }
        if let dpopNonce { client.policy.dpopNonce = dpopNonce }
        if let cookieMode { client.policy.cookieMode = cookieMode }
        if let allowedOrigins {
            let origins = try allowedOrigins.map { try BrowserOrigin(parsing: $0).description }
            guard Set(origins).count == origins.count else {
                throw BatonError(.invalidRequest, hint: "allowed_origins lists an origin twice")
            }
            client.policy.allowedOrigins = origins
        }
        try client.policy.validate()
        if client.policy.cookieMode && client.secretHash != nil {
            throw BatonError(.invalidRequest, hint: "cookie_mode is for public browser clients: a confidential client cannot use it")
        }
        if client.secretHash == nil && client.permissions.contains(.sessions) {
            throw BatonError(.invalidRequest, hint: "only a confidential client can hold the 'sessions' permission")
        }
        return client
    }
}
