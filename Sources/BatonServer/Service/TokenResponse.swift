import BatonCore

/// The body of a successful token response (RFC 6749 §5.1), written at the byte level.
struct TokenResponse: Sendable {
    var accessToken: [UInt8]
    var expiresIn: Int64
    var refreshToken: [UInt8]?
    var scope: String
    var sessionID: String?
    /// The kid of the key that signed the access token (sent as the `Baton-Key-ID` header).
    var keyID: String

    func json() -> [UInt8] {
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
