import BatonCore

extension TokenService {
    /// RFC 6749 §6: rotates a refresh token. The MAC is checked before Redis is asked; then one
    /// EVALSHA decides (rotate, grace, fast-forward, reuse, reject) atomically.
    public func refresh(client: Client, form: FormBody) async throws -> TokenResponse {
        guard client.grantTypes.contains(.refreshToken) else {
            throw BatonError(.unauthorizedClient, hint: "the client may not use the refresh_token grant")
        }
        let presented: RefreshToken
        do {
            presented = try codec.verify(Array(try form.required("refresh_token").utf8))
        } catch {
            metrics.refreshed(.invalid)
            throw error
        }
        let requestedScope = try form["scope"].map { try Scope(parsing: $0) }
        let session = presented.sessionID
        let now = clock.milliseconds()
        let started = ContinuousClock.now
        let outcome = try await families.refresh(
            session, presented: presented.generation, clientID: client.id, requestedScope: requestedScope, proof: nil, now: now,
            graceMilliseconds: Int64(client.policy.gracePeriod) * 1000,
            idleMilliseconds: Int64(client.policy.idleTimeout) * 1000)
        metrics.refreshScriptLatency(ContinuousClock.now - started)
        metrics.refreshed(outcome.decision.label)

        let generation: UInt64
        switch outcome.decision {
        case .rotate(let next), .fastForward(let next):
            generation = next
        case .grace(let current):
            generation = current
        case .reuse(let current):
            logger.warning("reuse_detected: a rotated refresh token was replayed; the session is revoked", metadata: [
                "baton.event": "\(RefreshOutcomeLabel.reuseDetected.rawValue)", "baton.session": "\(session)", "baton.client": "\(client.id)",
                "baton.presented_generation": "\(presented.generation)", "baton.current_generation": "\(current)",
            ])
            throw BatonError(.invalidGrant, hint: RefreshTokenCodec.invalidHint, debug: "reuse detected")
        case .reject(.scopeExceeded):
            throw BatonError(.invalidScope, hint: "the requested scope exceeds the scope granted to the session")
        case .reject(let reason):
            throw BatonError(.invalidGrant, hint: RefreshTokenCodec.invalidHint, debug: reason.rawValue)
        }
        if case .fastForward = outcome.decision {
            logger.notice("refresh token newer than the store: fast-forwarded (lost write)",
                          metadata: ["baton.session": "\(session)"])
        }

        // The script refused a scope beyond the session's before rotating; a narrower one applies.
        let scope = try requestedScope ?? Scope(parsing: outcome.scope ?? "")
        return try tokenResponse(
            for: client, subject: outcome.subject ?? "", scope: scope.description, session: session, refresh: generation,
            authTime: outcome.authTime, extraMembers: Array((outcome.claims ?? "").utf8), at: now)
    }
}
