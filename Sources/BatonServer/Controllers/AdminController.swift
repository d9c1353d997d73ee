import BatonAuth
import BatonCore
import BatonCrypto
import BatonStore
import Foundation
import Hummingbird

/// `/admin`: clients (create, list, show, update, delete) and users' sessions (list, revoke one,
/// revoke all), behind the admin bearer token.
struct AdminController<Context: RequestContext>: Sendable {
    let admin: AdminService
    let keys: KeyManager
    let keyring: Keyring
    let algorithm: SigningAlgorithm
    let adminToken: String?
    let bodyLimit: Int

    func addRoutes(to router: Router<Context>) {
        let group = router.group("admin").add(middleware: AdminAuthMiddleware(adminToken: adminToken))
        group.post("clients") { request, _ in
            let draft = try ClientDraft(json: try await body(of: request))
            let (client, secret) = try await admin.createClient(draft)
            return try json(ClientView(client, secret: secret), status: .created)
        }
        group.get("clients") { _, _ in try json(try await admin.listClients().map { ClientView($0) }) }
        group.get("clients/:id") { _, context in try json(ClientView(try await admin.client(try id(context)))) }
        group.patch("clients/:id") { request, context in
            let draft = try ClientDraft(json: try await body(of: request))
            return try json(ClientView(try await admin.updateClient(try id(context), draft)))
        }
        group.delete("clients/:id") { _, context in
            try await admin.removeClient(try id(context))
            return Response(status: .noContent)
        }
        addKeyRoutes(to: group)
        group.get("users/:sub/sessions") { _, context in
            try json(try await admin.sessions(of: try subject(context)).map(SessionView.init))
        }
        group.delete("users/:sub/sessions") { _, context in
            let count = try await admin.revokeAllSessions(of: try subject(context))
            return try json(["revoked_sessions": count])
        }
        group.delete("users/:sub/sessions/:sid") { _, context in
            guard let sid = context.parameters.get("sid"), try await admin.revokeSession(sid, of: try subject(context)) else {
                throw BatonError(.notFound, hint: "no such session")
            }
            return Response(status: .noContent)
        }
    }

    private func addKeyRoutes(to group: RouterGroup<Context>) {
        group.get("keys") { _, _ in try json(try await keys.list()) }
        group.post("keys/rotate") { request, _ in
            let body = try RotationRequest(json: try await self.body(of: request))
            guard let algorithm = body.alg.map({ SigningAlgorithm(rawValue: $0) }) ?? self.algorithm else {
                throw BatonError(.invalidRequest, hint: "alg must be ES256, EdDSA or RS256")
            }
            let record = try await keys.rotate(algorithm: algorithm, lead: body.now == true ? 0 : body.lead ?? 300)
            try await keyring.reload()
            return try json(["kid": record.keyID, "activates_at": String(record.activatesAt)], status: .created)
        }
        group.post("keys/:kid/revoke") { _, context in
            guard let kid = context.parameters.get("kid"), try await keys.revoke(kid, algorithm: algorithm) else {
                throw BatonError(.notFound, hint: "no such key")
            }
            try await keyring.reload()
            return Response(status: .noContent)
        }
    }

    private func id(_ context: Context) throws -> String {
        guard let id = context.parameters.get("id"), Client.isValidID(id) else {
            throw BatonError(.notFound, hint: "no such client")
        }
        return id
    }

    private func subject(_ context: Context) throws -> String {
        guard let raw = context.parameters.get("sub"), let subject = raw.removingPercentEncoding, !subject.isEmpty else {
            throw BatonError(.invalidRequest, hint: "the subject in the path is malformed")
        }
        return subject
    }

    private func body(of request: Request) async throws -> [UInt8] {
        var request = request
        return try await request.jsonBody(limit: bodyLimit)
    }

    private func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return .json(Array(try encoder.encode(value)), status: status)
    }
}

/// `POST /admin/keys/rotate`: `{"alg"?: "ES256", "lead"?: 300, "now"?: false}`, read strictly.
struct RotationRequest {
    var alg: String?
    var lead: Int64?
    var now: Bool?

    init(json bytes: [UInt8]) throws {
        let body = try JSONObjectReader(bytes, allowed: ["alg", "lead", "now"])
        alg = try body.string("alg")
        lead = try body.integer("lead", in: 0...86_400)
        now = try body.bool("now")
    }
}

/// A client as the admin API shows it: never the secret's hash; the secret itself only at creation.
struct ClientView: Encodable {
    var client_id: String
    var confidential: Bool
    var grant_types: [Client.GrantType]
    var allowed_scopes: [String]
    var permissions: [Client.Permission]
    var audience: String?
    var policy: ClientPolicy
    var client_secret: String?

    init(_ client: Client, secret: String? = nil) {
        client_id = client.id
        confidential = client.isConfidential
        grant_types = client.grantTypes
        allowed_scopes = client.allowedScopes
        permissions = client.permissions
        audience = client.audience
        policy = client.policy
        client_secret = secret
    }
}

/// A session as the admin API shows it.
struct SessionView: Encodable {
    var session_id: String
    var client_id: String
    var scope: String
    var created_at: Int64
    var expires_at: Int64
    var refreshes: UInt64
    /// The DPoP key thumbprint the session is bound to (absent: unbound).
    var dpop_jkt: String?

    init(_ state: FamilyState) {
        session_id = state.session.description
        client_id = state.clientID
        scope = state.scope
        created_at = state.createdAt / 1000
        expires_at = state.expiresAt / 1000
        refreshes = state.generation
        dpop_jkt = state.dpopThumbprint
    }
}

extension AdminController: RedactedDescription {
    /// Its limits; not the admin token.
    var publicFields: KeyValuePairs<String, Any> { ["adminToken": redacted(adminToken), "bodyLimit": bodyLimit] }
}
