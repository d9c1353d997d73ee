import BatonAuth
import BatonCore
import HTTPTypes

extension HTTPField.Name {
    /// The kid that signed the access token in a token response, for operators and tests.
    static let batonKeyID = HTTPField.Name("Baton-Key-ID")!
    /// Which worker answered, so a load balancer's spread can be seen.
    static let batonWorker = HTTPField.Name("Baton-Worker")!
    /// A DPoP proof (RFC 9449 §4.1).
    static let dpop = HTTPField.Name("DPoP")!
    /// The nonce a DPoP client is to put in its next proofs (RFC 9449 §8).
    static let dpopNonce = HTTPField.Name("DPoP-Nonce")!
}

/// A complete JSON response (status, headers, body), independent of the HTTP framework: the
/// router's handlers and the token endpoint's event-loop path both answer with it.
struct EndpointResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: [UInt8]

    /// A JSON response; token responses add `Cache-Control: no-store` (RFC 6749 §5.1).
    static func json(_ body: [UInt8], status: HTTPResponse.Status = .ok, noStore: Bool = true,
                     headers extra: HTTPFields = [:]) -> EndpointResponse {
        var headers = extra
        headers[.contentType] = "application/json"
        if noStore {
            headers[.cacheControl] = "no-store"
        }
        return EndpointResponse(status: status, headers: headers, body: body)
    }

    /// A token response (RFC 6749 §5.1) naming the signing key in `Baton-Key-ID`, with a fresh
    /// `DPoP-Nonce` when the service has one for the client.
    static func token(_ response: TokenResponse, status: HTTPResponse.Status = .ok) -> EndpointResponse {
        var headers: HTTPFields = [.batonKeyID: response.keyID]
        if let nonce = response.dpopNonce { headers.addDPoPNonce(nonce) }
        return .json(response.json, status: status, headers: headers)
    }

    /// An RFC 6749 §5.2 error response with the status, headers and body its code calls for.
    static func error(_ error: BatonError) -> EndpointResponse {
        var headers = HTTPFields()
        switch error.code {
        case .invalidClient:
            headers[.wwwAuthenticate] = #"Basic realm="baton""#
        case .invalidToken:
            headers[.wwwAuthenticate] = #"Bearer realm="baton", error="invalid_token""#
        case .temporarilyUnavailable, .tooManyRequests:
            headers[.retryAfter] = String(error.retryAfter ?? 1)
        default:
            break
        }
        if let nonce = error.dpopNonce { headers.addDPoPNonce(nonce) }
        return .json(body(code: error.code.rawValue, hint: error.hint), status: error.httpStatus, headers: headers)
    }

    /// A refusal of the request's HTTP form, in the same JSON shape.
    static func error(_ error: HTTPError) -> EndpointResponse {
        .json(body(code: error.code, hint: error.hint), status: error.status)
    }

    private static func body(code: String, hint: String) -> [UInt8] {
        var body = JSONWriter(capacity: 96)
        body.member("error", code)
        body.member("error_description", hint)
        return body.finish()
    }
}

extension HTTPFields {
    /// `DPoP-Nonce` (RFC 9449 §8), exposed to browser apps across origins (a CORS response header
    /// is hidden from scripts unless listed in `Access-Control-Expose-Headers`).
    mutating func addDPoPNonce(_ nonce: String) {
        self[.dpopNonce] = nonce
        self[.accessControlExposeHeaders] = "DPoP-Nonce"
    }
}

extension BatonError {
    /// The HTTP status each error code maps to.
    var httpStatus: HTTPResponse.Status {
        switch code {
        case .invalidClient, .invalidToken: return .unauthorized
        case .accessDenied: return .forbidden
        case .notFound: return .notFound
        case .temporarilyUnavailable: return .serviceUnavailable
        case .tooManyRequests: return .tooManyRequests
        case .serverError: return .internalServerError
        case .conflict: return .conflict
        case .invalidRequest, .invalidGrant, .unauthorizedClient, .unsupportedGrantType, .unsupportedTokenType,
             .invalidScope, .invalidDPoPProof, .useDPoPNonce:
            return .badRequest
        }
    }
}
