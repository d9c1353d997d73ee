import BatonCore

extension TokenService {
    /// Creates a session (a new family) for an authenticated subject on a client; the caller must
    /// be a confidential client with the `sessions` permission.
    ///
    /// With `dpop_jkt` the family is bound to that DPoP key for life (RFC 9449): every refresh needs
    /// a proof for it. The session's first access token is bound to it too (`cnf.jkt`, `token_type`
    /// DPoP), though no proof came with this request: the login backend vouches for the key, and a
    /// bearer token out of a bound session would be the one thing a thief could use without it.
    ///
    /// With `"delivery": "cookie"` (cookie-mode clients only, and always for them) the response
    /// carries a single-use `handoff_code` instead of a refresh token: the page exchanges it within
    /// 60 s at `POST /browser/session` for the refresh-token cookie (`redeemHandoff`).
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
        switch (request.delivery, client.policy.cookieMode) {
        case (.json, true):
            throw BatonError(.invalidRequest, hint: "the client is in cookie mode: create its sessions with \"delivery\": \"cookie\"")
        case (.cookie, false):
            throw BatonError(.invalidRequest, hint: "\"delivery\": \"cookie\" needs a client in cookie mode (cookie_mode, allowed_origins)")
        default:
            break
        }
        guard request.dpopThumbprint != nil || !client.policy.requireDPoP else {
            throw BatonError(.invalidRequest, hint: "the client requires DPoP: 'dpop_jkt' (the app's DPoP key thumbprint) is required")
        }
        let now = clock.milliseconds()
        let session = try codec.newSession(for: request.subject)
        let authTime = request.authTime ?? now / 1000
        let family = NewFamily(
            session: session, clientID: client.id, subject: request.subject, scope: scope.description, authTime: authTime,
            claims: String(decoding: request.extraMembers, as: UTF8.self),
            expiresAt: now + Int64(client.policy.absoluteLifetime) * 1000,
            idleTimeoutMilliseconds: Int64(client.policy.idleTimeout) * 1000, dpopThumbprint: request.dpopThumbprint,
            handoffDeadline: request.delivery == .cookie ? now + HandoffCode.lifetimeMilliseconds : nil)
        _ = try await families.create(family, now: now)
        let handoffCode = request.delivery == .cookie ? try codec.handoffCode(for: session) : nil
        return try tokenResponse(for: client, subject: request.subject, scope: scope.description, session: session,
                                 refresh: handoffCode == nil ? 0 : nil, sessionMember: true, handoffCode: handoffCode,
                                 authTime: authTime, extraMembers: request.extraMembers, confirmation: request.dpopThumbprint, at: now)
    }
}
