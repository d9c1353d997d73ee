import BatonAuth
import BatonCore
import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    /// The router's form of an endpoint response.
    init(_ response: EndpointResponse) {
        self.init(status: response.status, headers: response.headers,
                  body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body)))
    }

    /// A token response (RFC 6749 §5.1) naming the signing key in `Baton-Key-ID`.
    static func token(_ response: TokenResponse, status: HTTPResponse.Status = .ok) -> Response {
        Response(EndpointResponse.token(response, status: status))
    }

    /// A JSON response; token responses add `Cache-Control: no-store` (RFC 6749 §5.1).
    static func json(_ body: [UInt8], status: HTTPResponse.Status = .ok, noStore: Bool = true,
                     headers extra: HTTPFields = [:]) -> Response {
        Response(EndpointResponse.json(body, status: status, noStore: noStore, headers: extra))
    }

    /// An RFC 6749 §5.2 error response with the status, headers and body its code calls for.
    static func error(_ error: BatonError) -> Response {
        Response(EndpointResponse.error(error))
    }
}
