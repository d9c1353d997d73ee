import BatonAuth
import BatonCore
import Hummingbird

/// `POST /v1/sessions`: a login backend (a confidential client with the `sessions` permission,
/// authenticated with HTTP Basic) creates a session for a subject it has authenticated.
struct SessionController<Context: RequestContext>: Sendable {
    let service: TokenService
    let authenticator: ClientAuthenticator
    let bodyLimit: Int

    func addRoutes(to router: Router<Context>) {
        router.post("/v1/sessions") { request, _ in try await create(request) }
    }

    private func create(_ request: Request) async throws -> Response {
        var request = request
        guard let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("basic ") else {
            throw BatonError(.invalidClient, hint: "authenticate with HTTP Basic as a client holding the 'sessions' permission")
        }
        let body = try await request.jsonBody(limit: bodyLimit)
        let caller = try await authenticator.authenticate(authorization: authorization, form: try FormBody([]))
        let response = try await service.createSession(caller: caller, request: try SessionRequest(json: body))
        return .token(response, status: .created)
    }
}
