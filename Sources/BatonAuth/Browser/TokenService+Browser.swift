import BatonCore

/// Cookie mode (DESIGN.md §5b; draft-ietf-oauth-browser-based-apps, the token-mediating backend):
/// a cookie-mode client's refresh token lives only in an HttpOnly cookie. These are the rules; the
/// HTTP side (`Origin`, the CSRF header, CORS, the cookie itself) is `BrowserController`'s. Every
/// rotation rule of §3 applies unchanged: the same `rotate` as `/oauth/token`.
///
/// DPoP (RFC 9449) works here too, for a page holding a non-extractable WebCrypto key: a proof's
/// `htu` is the route under the issuer, or under the page's origin when Baton answers on the app's
/// own site behind its reverse proxy.
extension TokenService {
    /// The browser routes, by path.
    public enum BrowserRoute: String, Sendable, CaseIterable {
        case session = "/browser/session"
        case refresh = "/browser/refresh"
        case logout = "/browser/logout"
    }

    /// `POST /browser/session`: exchanges a cookie-mode session's handoff code, once and within its
    /// 60 s, for the session's first tokens. A forged code is refused before Redis and revokes
    /// nothing; a code used a second time or too late revokes its family.
    public func redeemHandoff(client: Client, code: String, origin: String, dpopProofs: [String] = []) async throws -> BrowserTokens {
        try requireCookieMode(client)
        let handoff = try codec.verifyHandoffCode(Array(code.utf8))
        let now = clock.milliseconds()
        let proof = try browserProof(dpopProofs, route: .session, client: client, origin: origin, now: now)
        let outcome = try await families.redeemHandoff(handoff.session, clientID: client.id, proofThumbprint: proof?.thumbprint,
                                                       now: now, idleMilliseconds: Int64(client.policy.idleTimeout) * 1000)
        if case .reject(let reason) = outcome.decision {
            metrics.handoffExchanged(refused: reason)
            if reason.revokesFamily {
                logger.warning("handoff code refused: the session is revoked", metadata: [
                    "baton.session": "\(handoff.session)", "baton.client": "\(client.id)", "baton.reason": "\(reason.rawValue)",
                ])
            }
            throw Self.handoffRefusal(reason)
        }
        metrics.handoffExchanged(refused: nil)
        guard let subject = outcome.subject, let expiresAt = outcome.expiresAt else {
            throw BatonError(.serverError, hint: "the session could not be handed over", debug: "handoff outcome without its family")
        }
        return try browserTokens(for: client, subject: subject, scope: outcome.scope ?? "", session: handoff.session, generation: 0,
                                 authTime: outcome.authTime, claims: outcome.claims ?? "", confirmation: outcome.dpopThumbprint ?? proof?.thumbprint,
                                 expiresAt: expiresAt, proof: proof, now: now)
    }

    /// `POST /browser/refresh`: rotates the refresh token in the cookie (`nil`: none was sent)
    /// exactly as `/oauth/token` does: grace, reuse detection, DPoP binding, every invariant.
    public func browserRefresh(client: Client, cookie: String?, form: FormBody, origin: String,
                               dpopProofs: [String] = []) async throws -> BrowserTokens {
        try requireCookieMode(client)
        guard let cookie else { throw Self.noCookie }
        let presented = try verifiedRefreshToken(Array(cookie.utf8))
        let requestedScope = try form["scope"].map { try Scope(parsing: $0) }
        let now = clock.milliseconds()
        let proof = try browserProof(dpopProofs, route: .refresh, client: client, origin: origin, now: now)
        let (outcome, generation) = try await rotate(presented, client: client, requestedScope: requestedScope, proof: proof, now: now)
        let scope = try requestedScope ?? Scope(parsing: outcome.scope ?? "")
        return try browserTokens(for: client, subject: outcome.subject ?? "", scope: scope.description, session: presented.sessionID,
                                 generation: generation, authTime: outcome.authTime, claims: outcome.claims ?? "",
                                 confirmation: proof?.thumbprint, expiresAt: outcome.expiresAt ?? now, proof: proof, now: now)
    }

    /// `POST /browser/logout`: revokes the cookie's family. No cookie, or one that is invalid or
    /// already dead, is nothing to do (the caller clears the cookie either way). A DPoP-bound family
    /// is revoked only with a proof for its key, as at `/oauth/revoke`.
    public func browserLogout(client: Client, cookie: String?, origin: String, dpopProofs: [String] = []) async throws {
        try requireCookieMode(client)
        guard let cookie, let token = try? codec.verify(Array(cookie.utf8)) else { return }
        let proof = try browserProof(dpopProofs, route: .logout, client: client, origin: origin, now: clock.milliseconds())
        let result = try await families.revoke(token.sessionID, clientID: client.id, proof: .presented(thumbprint: proof?.thumbprint))
        switch result {
        case .revoked:
            logger.info("session logged out in the browser", metadata: ["baton.session": "\(token.sessionID)", "baton.client": "\(client.id)"])
        case .unknown, .wrongClient:
            return
        case .dpopRequired:
            throw BatonError(.invalidDPoPProof, hint: "the session is bound to a DPoP key: logging out needs a DPoP proof for that key")
        case .dpopKeyMismatch:
            throw BatonError(.invalidDPoPProof, hint: "the DPoP proof's key is not the one the session is bound to")
        }
    }

    /// A refused exchange as its OAuth error: the DPoP refusals say what is missing; every other
    /// one says nothing of which check failed.
    private static func handoffRefusal(_ reason: HandoffDecision.Reason) -> BatonError {
        switch reason {
        case .dpopRequired:
            BatonError(.invalidDPoPProof, hint: "the session is bound to a DPoP key: a DPoP proof is required")
        case .dpopKeyMismatch:
            BatonError(.invalidDPoPProof, hint: "the DPoP proof's key is not the one the session is bound to")
        case .unknownFamily, .wrongClient, .userRevoked, .expired, .alreadyUsed, .late:
            BatonError(.invalidGrant, hint: HandoffCode.invalidHint, debug: reason.rawValue)
        }
    }

    /// The hint when `/browser/refresh` comes without the refresh-token cookie.
    static var noCookie: BatonError {
        BatonError(.invalidGrant, hint: "no refresh-token cookie was sent: the session was never handed over, or it has ended")
    }

    private func requireCookieMode(_ client: Client) throws {
        guard client.policy.cookieMode else {
            throw BatonError(.unauthorizedClient, hint: "the client is not in cookie mode (cookie_mode, allowed_origins)")
        }
        guard client.grantTypes.contains(.refreshToken) else {
            throw BatonError(.unauthorizedClient, hint: "the client may not use the refresh_token grant")
        }
    }

    /// The request's verified DPoP proof for `route`, or nil when it carried none (and the client
    /// does not require DPoP).
    private func browserProof(_ headerValues: [String], route: BrowserRoute, client: Client, origin: String,
                              now: Int64) throws -> DPoPProof? {
        guard !headerValues.isEmpty || client.policy.requireDPoP else { return nil }
        let verifier = try DPoPProofVerifier(
            endpoint: configuration.browserEndpoint(route.rawValue), named: "\(route.rawValue) endpoint",
            issuedAtWindowSeconds: dpop.issuedAtWindowSeconds, nonces: dpop.nonces, keyCache: dpop.keyCache)
        return try verifiedProof(headerValues, client: client, now: now, verifier: verifier, alternativeEndpoint: origin + route.rawValue)
    }

    /// The tokens for generation `generation` of a family: the access token in the body (bound to
    /// `confirmation`, if any), the refresh token apart, for the cookie.
    private func browserTokens(for client: Client, subject: String, scope: String, session: SessionID, generation: UInt64,
                               authTime: Int64?, claims: String, confirmation: String?, expiresAt: Int64, proof: DPoPProof?,
                               now: Int64) throws -> BrowserTokens {
        var response = try tokenResponse(for: client, subject: subject, scope: scope, session: session, refresh: nil, authTime: authTime,
                                         extraMembers: Array(claims.utf8), confirmation: confirmation, at: now)
        response.dpopNonce = try dpopNonceToSend(after: proof, client: client, now: now)
        var refreshToken: [UInt8] = []
        try codec.appendToken(for: session, generation: generation, to: &refreshToken)
        let lifetime = min(expiresAt - now, Int64(client.policy.idleTimeout) * 1000)
        return BrowserTokens(response: response, refreshToken: refreshToken, cookieMaxAge: max(0, lifetime / 1000))
    }
}
