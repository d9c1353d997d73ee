import BatonCore

extension TokenService {
    /// RFC 6749 §6: rotates a refresh token. The MAC and the request's DPoP proof (`dpopProofs`,
    /// every `DPoP` header value; RFC 9449 §4.3) are checked before Redis is asked; then one EVALSHA
    /// decides (rotate, grace, fast-forward, reuse, reject, and the proof's key and `jti`) atomically.
    /// With a proof the access token is bound to its key (`cnf.jkt`, `token_type` DPoP).
    public func refresh(client: Client, form: FormBody, dpopProofs: [String] = []) async throws -> TokenResponse {
        guard client.grantTypes.contains(.refreshToken) else {
            throw BatonError(.unauthorizedClient, hint: "the client may not use the refresh_token grant")
        }
        guard !client.policy.cookieMode else {
            throw BatonError(.unauthorizedClient, hint: "the client is in cookie mode: its sessions refresh at /browser/refresh")
        }
        let presented = try verifiedRefreshToken(Array(try form.required("refresh_token").utf8))
        let requestedScope = try form["scope"].map { try Scope(parsing: $0) }
        let now = clock.milliseconds()
        let proof = try verifiedProof(dpopProofs, client: client, now: now)
        let (outcome, generation) = try await rotate(presented, client: client, requestedScope: requestedScope, proof: proof, now: now)

        // The script refused a scope beyond the session's before rotating; a narrower one applies.
        let scope = try requestedScope ?? Scope(parsing: outcome.scope ?? "")
        var response = try tokenResponse(
            for: client, subject: outcome.subject ?? "", scope: scope.description, session: presented.sessionID, refresh: generation,
            authTime: outcome.authTime, extraMembers: Array((outcome.claims ?? "").utf8), confirmation: proof?.thumbprint, at: now)
        response.dpopNonce = try dpopNonceToSend(after: proof, client: client, now: now)
        return response
    }

    /// A presented refresh token, its MAC checked (a forgery is counted and refused here, before Redis).
    func verifiedRefreshToken(_ text: [UInt8]) throws -> RefreshToken {
        do {
            return try codec.verify(text)
        } catch {
            metrics.refreshed(.invalid)
            throw error
        }
    }

    /// One EVALSHA: the family decides on `presented` (rotate, grace, fast-forward, reuse, reject,
    /// and the proof's key and `jti`) atomically. Returns the outcome and the generation of the
    /// refresh token to hand out; every refusal is thrown as its OAuth error, reuse logged.
    func rotate(_ presented: RefreshToken, client: Client, requestedScope: Scope?, proof: DPoPProof?,
                now: Int64) async throws -> (outcome: RefreshOutcome, generation: UInt64) {
        let session = presented.sessionID
        let presentation = try proof?.presentation(replayWindowMilliseconds: configuration.dpopReplayWindowMilliseconds)
        let started = ContinuousClock.now
        let outcome = try await families.refresh(
            session, presented: presented.generation, clientID: client.id, requestedScope: requestedScope, proof: presentation, now: now,
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
            throw Self.dpopRefusal(reason) ?? BatonError(.invalidGrant, hint: RefreshTokenCodec.invalidHint, debug: reason.rawValue)
        }
        if case .fastForward = outcome.decision {
            logger.notice("refresh token newer than the store: fast-forwarded (lost write)",
                          metadata: ["baton.session": "\(session)"])
        }
        return (outcome, generation)
    }
}
