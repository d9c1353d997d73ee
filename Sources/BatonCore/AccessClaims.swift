/// The claims of an RFC 9068 access token, serialized at the byte level (the hot path).
///
/// ```swift
/// let claims = AccessClaims(issuer: "https://auth.example", subject: "alice", audience: "api",
///                           clientID: "app", scope: "read", sessionID: "0a1b2c3d.AAAA…",
///                           issuedAt: 1_800_000_000, expiresAt: 1_800_000_300, jwtID: "…")
/// var payload: [UInt8] = []
/// claims.appendJSON(to: &payload)
/// ```
public struct AccessClaims: Sendable, Equatable {
    /// `iss`.
    public var issuer: String
    /// `sub`: the user, or the client itself for client credentials.
    public var subject: String
    /// `aud`.
    public var audience: String
    /// `client_id`.
    public var clientID: String
    /// `scope`, space-delimited (omitted when empty).
    public var scope: String
    /// `sid`: the session (family) the token belongs to; nil for client credentials.
    public var sessionID: String?
    /// `iat` (s since 1970).
    public var issuedAt: Int64
    /// `exp` (s since 1970).
    public var expiresAt: Int64
    /// `jti`: a unique id.
    public var jwtID: String
    /// `auth_time` (s since 1970), when known.
    public var authTime: Int64?
    /// Extra claims as JSON object members (`"k":v,...`), set when the session was created.
    public var extraMembers: [UInt8]
    /// `cnf.jkt` (RFC 9449 §6.1): the thumbprint of the DPoP key the token is bound to, or nil
    /// for a bearer token.
    public var confirmationThumbprint: String?

    /// Names no extra claim may take: Baton sets them itself.
    public static let reservedNames: Set<String> = [
        "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope", "sid", "auth_time", "cnf", "typ",
    ]

    /// Creates the claims.
    public init(issuer: String, subject: String, audience: String, clientID: String, scope: String,
                sessionID: String?, issuedAt: Int64, expiresAt: Int64, jwtID: String,
                authTime: Int64? = nil, extraMembers: [UInt8] = [], confirmationThumbprint: String? = nil) {
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.clientID = clientID
        self.scope = scope
        self.sessionID = sessionID
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.jwtID = jwtID
        self.authTime = authTime
        self.extraMembers = extraMembers
        self.confirmationThumbprint = confirmationThumbprint
    }

    /// Appends the JSON payload to `bytes`.
    public func appendJSON(to bytes: inout [UInt8]) {
        var json = JSONWriter(extending: bytes)
        bytes = []
        json.member("iss", issuer)
        json.member("sub", subject)
        json.member("aud", audience)
        json.member("client_id", clientID)
        if !scope.isEmpty { json.member("scope", scope) }
        if let sessionID { json.member("sid", sessionID) }
        json.member("iat", issuedAt)
        json.member("exp", expiresAt)
        json.member("jti", jwtID)
        if let authTime { json.member("auth_time", authTime) }
        if let confirmationThumbprint {
            var confirmation = JSONWriter(capacity: 64)
            confirmation.member("jkt", confirmationThumbprint)
            json.member("cnf", rawJSON: confirmation.finish())
        }
        json.rawMembers(extraMembers)
        bytes = json.finish()
    }
}
