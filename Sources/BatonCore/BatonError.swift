/// An error Baton reports to a client, in the vocabulary of RFC 6749 §5.2.
///
/// `hint` is safe to show the client; `debug` is for the log only (never a token or secret).
///
/// ```swift
/// throw BatonError(.invalidGrant, hint: "the refresh token is invalid or expired", debug: "family revoked")
/// ```
public struct BatonError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error codes of Baton's rules: OAuth's (RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 6750 §3.1,
    /// RFC 9449 §5 and §8), and the admin API's `not_found` and `conflict`. Conditions of HTTP itself (413, 415, 405)
    /// are `BatonServer`'s `HTTPError`.
    public enum Code: String, Sendable, Equatable {
        case invalidRequest = "invalid_request"
        case invalidClient = "invalid_client"
        case invalidGrant = "invalid_grant"
        case unauthorizedClient = "unauthorized_client"
        case unsupportedGrantType = "unsupported_grant_type"
        case unsupportedTokenType = "unsupported_token_type"
        case invalidScope = "invalid_scope"
        case invalidToken = "invalid_token"
        case accessDenied = "access_denied"
        case invalidDPoPProof = "invalid_dpop_proof"
        case useDPoPNonce = "use_dpop_nonce"
        case notFound = "not_found"
        case conflict
        case tooManyRequests = "too_many_requests"
        case temporarilyUnavailable = "temporarily_unavailable"
        case serverError = "server_error"
    }

    /// The error code sent as `error`.
    public var code: Code
    /// A client-safe explanation sent as `error_description`.
    public var hint: String
    /// For `too_many_requests` and `temporarily_unavailable`: seconds until a retry makes sense.
    public var retryAfter: Int?
    /// Extra detail for the log only.
    public var debug: String?
    /// For `use_dpop_nonce` (RFC 9449 §8): the nonce the client is to use, sent as the `DPoP-Nonce`
    /// header. Never logged (not in `description`).
    public var dpopNonce: String?

    /// Creates an error.
    public init(_ code: Code, hint: String, debug: String? = nil, retryAfter: Int? = nil) {
        self.code = code
        self.hint = hint
        self.debug = debug
        self.retryAfter = retryAfter
    }

    public var description: String {
        "\(code.rawValue): \(hint)" + (debug.map { " (\($0))" } ?? "")
    }
}
