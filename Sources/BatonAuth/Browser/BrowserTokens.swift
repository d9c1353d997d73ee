import BatonCore

/// What a cookie-mode browser route answers with: a token response whose body holds the access
/// token only, and the refresh token for the `Set-Cookie` header alone (draft-ietf-oauth-browser-based-apps:
/// the page's JavaScript never sees it).
public struct BrowserTokens: Sendable {
    /// The JSON body (access token, `token_type`, `expires_in`, `scope`): no refresh token.
    public let response: TokenResponse
    /// The refresh token, for the cookie only.
    public let refreshToken: [UInt8]
    /// How long the cookie may live (s): until the session's absolute end or idle timeout, whichever
    /// comes first, so it never outlives its family.
    public let cookieMaxAge: Int64
}

extension BrowserTokens: RedactedDescription {
    /// The response (itself redacted) and the cookie's lifetime; never the refresh token.
    public var publicFields: KeyValuePairs<String, Any> {
        ["response": response, "refreshToken": redacted(refreshToken), "cookieMaxAge": cookieMaxAge]
    }
}
