import BatonAuth
import BatonCore
import Hummingbird
import NIOCore

/// RFC 6749 token endpoint (§3.2, §6 refresh, §4.4 client credentials), RFC 7009 revocation and
/// RFC 7662 introspection.
struct OAuthController<Context: RemoteAddressRequestContext>: Sendable {
    let service: TokenService
    let authenticator: ClientAuthenticator
    let rateLimiter: RateLimiter
    let bodyLimit: Int

    func addRoutes(to router: Router<Context>) {
        router.post(RouterPath(TokenEndpoint.path)) { request, context in try await token(request, from: context.remoteAddress) }
        router.post("/oauth/revoke") { request, _ in try await revoke(request) }
        router.post("/oauth/introspect") { request, _ in try await introspect(request) }
    }

    private func token(_ request: Request, from address: SocketAddress?) async throws -> Response {
        var request = request
        try requireMediaType(request.headers[.contentType], "application/x-www-form-urlencoded")
        let body = try await request.collectBody(upTo: bodyLimit)
        return .token(try await token(authorization: request.headers[.authorization], dpop: request.headers[values: .dpop],
                                      body: body, from: address))
    }

    /// The token endpoint on an already-read form body (its media type checked): the router's
    /// route and the event-loop path (`TokenEndpointHandler`) both answer through it. `dpop` holds
    /// every `DPoP` header value, in order (RFC 9449 §4.3: more than one is refused).
    func token(authorization: String?, dpop: [String], body: ByteBuffer, from address: SocketAddress?) async throws -> TokenResponse {
        let form = try FormBody(body)
        guard let grantType = form["grant_type"] else {
            throw BatonError(.invalidRequest, hint: "missing parameter 'grant_type'")
        }
        let client = try await authenticator.authenticate(authorization: authorization, form: form)
        if rateLimiter.isEnabled { try await rateLimiter.check(clientID: client.id, address: address?.ipAddress) }
        switch grantType {
        case "refresh_token": return try await service.refresh(client: client, form: form, dpopProofs: dpop)
        case "client_credentials": return try service.clientCredentials(client: client, form: form, dpopProofs: dpop)
        default: throw BatonError(.unsupportedGrantType, hint: "supported grants: refresh_token, client_credentials")
        }
    }

    /// RFC 7009 §2: `DPoP` header values go to the service, which needs a proof for a DPoP-bound
    /// family's key from a public client (RFC 9449; DESIGN.md §5b).
    private func revoke(_ request: Request) async throws -> Response {
        var request = request
        let form = try await request.formBody(limit: bodyLimit)
        let client = try await authenticator.authenticate(authorization: request.headers[.authorization], form: form)
        try await service.revoke(client: client, form: form, dpopProofs: request.headers[values: .dpop])
        return .json(Array("{}".utf8))
    }

    private func introspect(_ request: Request) async throws -> Response {
        var request = request
        let form = try await request.formBody(limit: bodyLimit)
        let client = try await authenticator.authenticate(authorization: request.headers[.authorization], form: form)
        return .json(try await service.introspect(client: client, form: form))
    }
}
