import BatonCore

/// A successful token response (RFC 6749 §5.1) as its JSON body. The body is written once
/// (`TokenService.tokenResponse`): the access token is signed and the refresh token minted
/// straight into it, so neither exists as an array of its own on the way to the socket.
public struct TokenResponse: Sendable {
    /// The JSON body.
    public let json: [UInt8]
    /// Where the access token lies in `json`.
    let accessTokenRange: Range<Int>
    /// Where the refresh token lies in `json`, when there is one.
    let refreshTokenRange: Range<Int>?
    /// The access token's lifetime in seconds.
    public let expiresIn: Int64
    /// The granted scope.
    public let scope: String
    /// The new session's id (session creation only).
    public let sessionID: String?
    /// The kid of the key that signed the access token (sent as the `Baton-Key-ID` header).
    public let keyID: String
    /// A fresh DPoP nonce to send as the `DPoP-Nonce` header (RFC 9449 §8.2), when the client
    /// should move on to it; nil: no header.
    public internal(set) var dpopNonce: String?

    /// The access token (a copy out of the body, for callers other than the HTTP response).
    public var accessToken: [UInt8] { Array(json[accessTokenRange]) }
    /// The refresh token, when there is one (a copy out of the body).
    public var refreshToken: [UInt8]? { refreshTokenRange.map { Array(json[$0]) } }
}

extension TokenResponse: RedactedDescription {
    /// Everything but the body, which holds the two tokens.
    public var publicFields: KeyValuePairs<String, Any> {
        ["json": redacted(json), "expiresIn": expiresIn, "scope": scope, "sessionID": sessionID as Any, "keyID": keyID,
         "dpopNonce": redacted(dpopNonce)]
    }
}
