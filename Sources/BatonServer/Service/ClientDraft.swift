import BatonCore

/// The settings of a client an administrator creates or changes; absent fields keep their
/// current (or default) values.
public struct ClientDraft: Sendable, Decodable {
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

    /// An empty draft: every field default.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id"
        case isPublic = "public"
        case grantTypes = "grant_types"
        case allowedScopes = "allowed_scopes"
        case permissions
        case audience
        case accessTokenTTL = "access_token_ttl"
        case idleTimeout = "idle_timeout"
        case absoluteLifetime = "absolute_lifetime"
        case gracePeriod = "grace_period"
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
        try client.policy.validate()
        if client.secretHash == nil && client.permissions.contains(.sessions) {
            throw BatonError(.invalidRequest, hint: "only a confidential client can hold the 'sessions' permission")
        }
        return client
    }
}
