import BatonAuth
import BatonCore
import Hummingbird
import HTTPTypes

/// Cookie mode's routes (DESIGN.md §5b; draft-ietf-oauth-browser-based-apps, the token-mediating
/// backend): `POST /browser/session` (a handoff code for the cookie), `POST /browser/refresh`,
/// `POST /browser/logout`, each with its CORS preflight. The client is named in the query
/// (`?client_id=…`), so a preflight, which has no body, knows whose origins to allow.
///
/// Every POST passes `BrowserRequestCheck` first (the client's `Origin`, the CSRF header); its
/// answers carry CORS headers for that origin only and `Cache-Control: no-store`. The refresh token
/// travels only in the `__Host-baton_rt` cookie (`RefreshCookie`): never in a body, a URL or a log.
struct BrowserController<Context: RemoteAddressRequestContext>: Sendable {
    let service: TokenService
    let registry: ClientRegistry
    /// The token endpoint's limits (per client and address) apply to the browser routes alike.
    let rateLimiter: RateLimiter
    let metrics: BatonMetrics
    let bodyLimit: Int

    func addRoutes(to router: Router<Context>) {
        for route in TokenService.BrowserRoute.allCases {
            router.post(RouterPath(route.rawValue)) { request, context in try await answer(request, route: route, context: context) }
            router.on(RouterPath(route.rawValue), method: .options) { request, _ in try await preflight(request) }
        }
    }

    /// A POST: the checks, then the route; any error in the OAuth JSON shape, with the CORS headers
    /// once the origin is known, and the cookie cleared when the session it names is no good. A
    /// client that stopped sending is passed on as `ClientAbort`, as `ErrorMiddleware` does.
    private func answer(_ request: Request, route: TokenService.BrowserRoute, context: Context) async throws -> Response {
        var request = request
        var cors = HTTPFields()
        do {
            let client = try await cookieModeClient(request)
            let origin = try BrowserRequestCheck.allowedOrigin(of: client, origins: request.headers[values: .origin])
            cors = BrowserRequestCheck.corsHeaders(for: origin)
            try BrowserRequestCheck.requireCSRFHeader(request.headers[values: .batonCSRF])
            if rateLimiter.isEnabled { try await rateLimiter.check(clientID: client.id, address: context.remoteAddress?.ipAddress) }
            let cookie = try RefreshCookie.token(in: request.headers[values: .cookie])
            let form = try await request.formBody(limit: bodyLimit, allowEmpty: true)
            let dpop = request.headers[values: .dpop]
            switch route {
            case .session:
                let tokens = try await service.redeemHandoff(client: client, code: try form.required("handoff_code"), origin: origin,
                                                             dpopProofs: dpop)
                return Response(tokensResponse(tokens, cors: cors))
            case .refresh:
                let tokens = try await service.browserRefresh(client: client, cookie: cookie, form: form, origin: origin, dpopProofs: dpop)
                return Response(tokensResponse(tokens, cors: cors))
            case .logout:
                try await service.browserLogout(client: client, cookie: cookie, origin: origin, dpopProofs: dpop)
                var headers = cors
                headers[.setCookie] = RefreshCookie.clearing
                return .json(Array("{}".utf8), headers: headers)
            }
        } catch where ClientAbort.caused(error) {
            throw ClientAbort()
        } catch {
            var response = ErrorResponder(metrics: metrics, logger: context.logger).response(for: error)
            for field in cors { response.headers.append(field) }
            if route == .refresh, let error = error as? BatonError, error.code == .invalidGrant {
                response.headers[.setCookie] = RefreshCookie.clearing  // the session it names cannot refresh any more
            }
            return Response(response)
        }
    }

    /// A CORS preflight (Fetch standard): 204 with the allowed method and headers for an allowed
    /// origin of a cookie-mode client asking for `POST`; else 403 without CORS headers, which the
    /// browser takes as a refusal.
    private func preflight(_ request: Request) async throws -> Response {
        let client = try await cookieModeClient(request)
        let origin = try BrowserRequestCheck.allowedOrigin(of: client, origins: request.headers[values: .origin])
        guard request.headers[.accessControlRequestMethod] == "POST" else {
            throw BatonError(.accessDenied, hint: "browser routes accept POST only")
        }
        return Response(status: .noContent, headers: BrowserRequestCheck.preflightHeaders(for: origin))
    }

    /// The client named by `?client_id=`, which must be in cookie mode.
    private func cookieModeClient(_ request: Request) async throws -> Client {
        guard let id = request.uri.queryParameters.get("client_id") else {
            throw BatonError(.invalidRequest, hint: "browser routes need the client in the query: ?client_id=…")
        }
        guard Client.isValidID(id), let client = try await registry.client(id) else {
            throw BatonError(.invalidClient, hint: "no client with that client_id")
        }
        guard client.policy.cookieMode else {
            throw BatonError(.unauthorizedClient, hint: "the client is not in cookie mode (cookie_mode, allowed_origins)")
        }
        return client
    }

    /// The access token's JSON with the refresh token as the cookie, and the CORS headers.
    private func tokensResponse(_ tokens: BrowserTokens, cors: HTTPFields) -> EndpointResponse {
        var response = EndpointResponse.token(tokens.response)
        for field in cors { response.headers.append(field) }
        response.headers[.setCookie] = RefreshCookie.setting(tokens.refreshToken, maxAge: tokens.cookieMaxAge)
        return response
    }
}
