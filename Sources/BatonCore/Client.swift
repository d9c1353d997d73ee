/// An OAuth client registered with Baton: who it is, how it authenticates, what it may do.
public struct Client: Sendable, Equatable, Codable {
    /// What a client may do beyond refreshing its own sessions.
    public enum Permission: String, Sendable, Codable, CaseIterable {
        /// May create sessions for subjects it has authenticated (a login backend).
        case sessions
    }

    /// The grants a client may use at the token endpoint.
    public enum GrantType: String, Sendable, Codable, CaseIterable {
        case refreshToken = "refresh_token"
        case clientCredentials = "client_credentials"
    }

    /// The client's id.
    public var id: String
    /// Hex SHA-256 of the client secret; nil for a public client. The secret itself is never stored.
    public var secretHash: String?
    /// Grants allowed at the token endpoint.
    public var grantTypes: [GrantType]
    /// Scopes the client may hold; a session's scope must be a subset. Empty: no scopes.
    public var allowedScopes: [String]
    /// Extra permissions.
    public var permissions: [Permission]
    /// The `aud` of its access tokens (default: the issuer).
    public var audience: String?
    /// Lifetimes of its tokens and sessions.
    public var policy: ClientPolicy

    /// Whether the client authenticates with a secret.
    public var isConfidential: Bool { secretHash != nil }

    /// Creates a client.
    public init(id: String, secretHash: String?, grantTypes: [GrantType], allowedScopes: [String],
                permissions: [Permission], audience: String?, policy: ClientPolicy) {
        self.id = id
        self.secretHash = secretHash
        self.grantTypes = grantTypes
        self.allowedScopes = allowedScopes
        self.permissions = permissions
        self.audience = audience
        self.policy = policy
    }

    enum CodingKeys: String, CodingKey {
        case id = "client_id"
        case secretHash = "secret_sha256"
        case grantTypes = "grant_types"
        case allowedScopes = "allowed_scopes"
        case permissions
        case audience
        case policy
    }

    /// Client ids are 1–128 characters of `[A-Za-z0-9._~-]`, so they are safe in keys, logs and URLs.
    public static func isValidID(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy {
            isBase64URL($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "~")
        }
    }
}

extension Client: RedactedDescription {
    /// Everything but the secret's hash.
    public var publicFields: KeyValuePairs<String, Any> {
        ["id": id, "secretHash": redacted(secretHash), "grantTypes": grantTypes, "allowedScopes": allowedScopes,
         "permissions": permissions, "audience": audience as Any, "policy": policy]
    }
}
