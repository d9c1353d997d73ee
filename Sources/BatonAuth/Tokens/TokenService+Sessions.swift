import BatonCore

extension TokenService {
    /// Creates a session (a new family) for an authenticated subject on a client; the caller must
    /// be a confidential client with the `sessions` permission.
    public func createSession(caller: Client, request: SessionRequest) async throws -> TokenResponse {
        guard caller.isConfidential, caller.permissions.contains(.sessions) else {
            throw BatonError(.unauthorizedClient, hint: "the caller lacks the 'sessions' permission")
        }
        guard Client.isValidID(request.clientID), let client = try await clients.client(request.clientID) else {
            throw BatonError(.invalidRequest, hint: "no client with that client_id")
        }
        guard client.grantTypes.contains(.refreshToken) else {
            throw BatonError(.unauthorizedClient, hint: "the client may not hold refresh tokens")
        }
        let allowed = try Scope(parsing: client.allowedScopes.joined(separator: " "))
        let scope = try request.scope.map { try Scope(parsing: $0) } ?? allowed
        guard scope.isSubset(of: allowed) else {
            throw BatonError(.invalidScope, hint: "the scope exceeds what the client may hold")
        }
        let now = clock.milliseconds()
        let session = try codec.newSession(for: request.subject)
        let authTime = request.authTime ?? now / 1000
        let family = NewFamily(
            session: session, clientID: client.id, subject: request.subject, scope: scope.description, authTime: authTime,
            claims: String(decoding: request.extraMembers, as: UTF8.self),
            expiresAt: now + Int64(client.policy.absoluteLifetime) * 1000,
            idleTimeoutMilliseconds: Int64(client.policy.idleTimeout) * 1000)
        _ = try await families.create(family, now: now)
        return try tokenResponse(for: client, subject: request.subject, scope: scope.description, session: session, refresh: 0,
                                 sessionMember: true, authTime: authTime, extraMembers: request.extraMembers, at: now)
    }
}
