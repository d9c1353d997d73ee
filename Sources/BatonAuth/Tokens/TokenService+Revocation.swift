import BatonCore

extension TokenService {
    /// RFC 7009: a refresh token's family dies; an access token's session (its `sid`) dies too.
    /// A token that is invalid or unknown is answered like a revoked one (§2.2): nothing to do.
    public func revoke(client: Client, form: FormBody) async throws {
        let token = try form.required("token")
        let session: SessionID
        if token.hasPrefix("btr1.") {
            guard let refresh = try? codec.verify(Array(token.utf8)) else { return }
            session = refresh.sessionID
        } else {
            let verifier = AccessTokenVerifier(keyring: keyring, issuer: configuration.issuer)
            guard let claims = verifier.verify(token, now: clock.seconds()) else { return }
            guard claims["client_id"] as? String == client.id else { throw Self.notYours }
            guard let sid = claims["sid"] as? String, let parsed = SessionID(sid) else { return }
            session = parsed
        }
        switch try await families.revoke(session, clientID: client.id) {
        case .revoked:
            logger.info("session revoked by its client", metadata: ["baton.session": "\(session)", "baton.client": "\(client.id)"])
        case .unknown:
            return
        case .wrongClient:
            throw Self.notYours
        }
    }

    private static var notYours: BatonError {
        BatonError(.invalidGrant, hint: "the token was not issued to this client")
    }
}
