import BatonCore

/// The body of a successful token response (RFC 6749 §5.1), written at the byte level.
public struct TokenResponse: Sendable {
    public var accessToken: [UInt8]
    public var expiresIn: Int64
    public var refreshToken: [UInt8]?
    public var scope: String
    public var sessionID: String?
    /// The kid of the key that signed the access token (sent as the `Baton-Key-ID` header).
    public var keyID: String

    /// The JSON body.
    public func json() -> [UInt8] {
        var json = JSONWriter(capacity: accessToken.count + (refreshToken?.count ?? 0) + 160)
        json.member("access_token", bytes: accessToken)
        json.member("token_type", "Bearer")
        json.member("expires_in", expiresIn)
        if let refreshToken { json.member("refresh_token", bytes: refreshToken) }
        if !scope.isEmpty { json.member("scope", scope) }
        if let sessionID { json.member("session_id", sessionID) }
        return json.finish()
    }
}

extension TokenResponse: RedactedDescription {
    /// Everything but the two tokens.
    public var publicFields: KeyValuePairs<String, Any> {
        ["accessToken": redacted(accessToken), "refreshToken": redacted(refreshToken), "expiresIn": expiresIn, "scope": scope,
         "sessionID": sessionID as Any, "keyID": keyID]
    }
}
