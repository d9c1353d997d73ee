import BatonCore
import BatonCrypto
import Hummingbird

/// Guards `/admin`: `Authorization: Bearer <admin token>`, compared in constant time (as SHA-256
/// digests, so not even the token's length leaks). Without a configured token the API is off.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    private let expectedDigest: [UInt8]?

    init(adminToken: String?) {
        expectedDigest = adminToken.flatMap { try? SHA256.hash(Array($0.utf8)) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let expectedDigest else {
            throw BatonError(.accessDenied, hint: "the admin API is disabled: start the server with an admin token")
        }
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer "),
              ConstantTime.equals(try SHA256.hash(Array(header.dropFirst(7).utf8)), expectedDigest)
        else {
            throw BatonError(.invalidToken, hint: "a valid admin bearer token is required")
        }
        return try await next(request, context)
    }
}

extension AdminAuthMiddleware: RedactedDescription {
    /// Whether the admin API is on; not the token's digest.
    var publicFields: KeyValuePairs<String, Any> { ["adminToken": redacted(expectedDigest)] }
}
