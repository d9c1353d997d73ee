import BatonCore
import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    /// The kid that signed the access token in a token response, for operators and tests.
    static let batonKeyID = HTTPField.Name("Baton-Key-ID")!
    /// Which worker answered, so a load balancer's spread can be seen.
    static let batonWorker = HTTPField.Name("Baton-Worker")!
}

extension Response {
    /// A token response (RFC 6749 §5.1) naming the signing key in `Baton-Key-ID`.
    static func token(_ response: TokenResponse, status: HTTPResponse.Status = .ok) -> Response {
        .json(response.json(), status: status, headers: [.batonKeyID: response.keyID])
    }

    /// A JSON response; token responses add `Cache-Control: no-store` (RFC 6749 §5.1).
    static func json(_ body: [UInt8], status: HTTPResponse.Status = .ok, noStore: Bool = true,
                     headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "application/json"
        if noStore {
            headers[.cacheControl] = "no-store"
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// An RFC 6749 §5.2 error response with the status, headers and body its code calls for.
    static func error(_ error: BatonError) -> Response {
        var body = JSONWriter(capacity: 96)
        body.member("error", error.code.rawValue)
        body.member("error_description", error.hint)
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
        return .json(body.finish(), status: error.httpStatus, headers: headers)
    }
}

extension BatonError {
    /// The HTTP status each error code maps to.
    var httpStatus: HTTPResponse.Status {
        switch code {
        case .invalidClient, .invalidToken: return .unauthorized
        case .accessDenied: return .forbidden
        case .notFound: return .notFound
        case .requestTooLarge: return .contentTooLarge
        case .unsupportedMediaType: return .unsupportedMediaType
        case .temporarilyUnavailable: return .serviceUnavailable
        case .tooManyRequests: return .tooManyRequests
        case .serverError: return .internalServerError
        case .methodNotAllowed: return .methodNotAllowed
        case .invalidRequest, .invalidGrant, .unauthorizedClient, .unsupportedGrantType, .unsupportedTokenType,
             .invalidScope, .conflict:
            return code == .conflict ? .conflict : .badRequest
        }
    }
}
