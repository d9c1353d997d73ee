import BatonCore

extension TokenService {
    /// RFC 7009: a refresh token's family dies; an access token's session (its `sid`) dies too.
    /// A token that is invalid or unknown is answered like a revoked one (§2.2): nothing to do.
    ///
    /// DPoP (RFC 9449, DESIGN.md §5b): a public client revokes a DPoP-bound family only with a
    /// proof for the family's key, so a stolen bound token (refresh, or access through its `sid`)
    /// cannot log the user out. The proof (`dpopProofs`, every `DPoP` header value) is checked here
    /// before Redis, with `htu` the revocation endpoint and the token endpoint's `iat` window and
    /// nonces; its thumbprint is compared with the family's binding in the revocation script,
    /// atomically. A refusal (`invalid_dpop_proof`) changes nothing. Unbound families are revoked
    /// with or without a proof, as before.
    ///
    /// A confidential client needs no proof and its `DPoP` header is not read: it authenticated
    /// with its secret, which already constrains who can send its requests (RFC 9449 §5 leaves its
    /// refresh tokens unbound for that reason), so a thief needs the secret anyway.
    ///
    /// A proof's `jti` is not checked for replay here. A replayed revocation proof can only revoke a
    /// family bound to its own key, together with that family's token, which is what the key's
    /// holder was doing; and a replay check kept per family, as the refresh's, could not stop it
    /// anyway, since the family it was made for is gone after a success.
    public func revoke(client: Client, form: FormBody, dpopProofs: [String] = []) async throws {
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
        let proof: RevocationProof
        if client.isConfidential {
            proof = .notRequired
        } else {
            let verified = try verifiedProof(dpopProofs, client: client, now: clock.milliseconds(), verifier: revocationDPoP)
            proof = .presented(thumbprint: verified?.thumbprint)
        }
        let result = try await families.revoke(session, clientID: client.id, proof: proof)
        switch result {
        case .revoked:
            logger.info("session revoked by its client", metadata: ["baton.session": "\(session)", "baton.client": "\(client.id)"])
        case .unknown:
            return
        case .wrongClient:
            throw Self.notYours
        case .dpopRequired, .dpopKeyMismatch:
            logger.notice("revocation of a DPoP-bound session refused: no proof for its key", metadata: [
                "baton.session": "\(session)", "baton.client": "\(client.id)", "baton.reason": "\(result.rawValue)",
            ])
            throw result == .dpopRequired
                ? BatonError(.invalidDPoPProof, hint: "the token is bound to a DPoP key: revoking it needs a DPoP proof for that key")
                : BatonError(.invalidDPoPProof, hint: "the DPoP proof's key is not the one the token is bound to")
        }
    }

    private static var notYours: BatonError {
        BatonError(.invalidGrant, hint: "the token was not issued to this client")
    }
}
