import BatonCore

extension TokenService {
    /// RFC 6749 §4.4: an access token for the client itself; no refresh token. With a valid DPoP
    /// proof (`dpopProofs`) the access token is bound to its key (`cnf.jkt`, `token_type` DPoP).
    ///
    /// The proof's `jti` is not checked for replay here (no Redis call): the request is
    /// authenticated with the client's secret, and a replayed proof only yields another token bound
    /// to the same key, useless without its private half (RFC 9449 §11.1 leaves this to the server).
    public func clientCredentials(client: Client, form: FormBody, dpopProofs: [String] = []) throws -> TokenResponse {
        guard client.isConfidential else {
            throw BatonError(.unauthorizedClient, hint: "public clients cannot use client_credentials")
        }
        guard client.grantTypes.contains(.clientCredentials) else {
            throw BatonError(.unauthorizedClient, hint: "the client may not use the client_credentials grant")
        }
        let allowed = try Scope(parsing: client.allowedScopes.joined(separator: " "))
        let scope = try form["scope"].map { try Scope(parsing: $0) } ?? allowed
        guard scope.isSubset(of: allowed) else {
            throw BatonError(.invalidScope, hint: "the scope exceeds what the client may hold")
        }
        let now = clock.milliseconds()
        let proof = try verifiedProof(dpopProofs, client: client, now: now)
        var response = try tokenResponse(for: client, subject: client.id, scope: scope.description, session: nil, refresh: nil,
                                         authTime: nil, extraMembers: [], confirmation: proof?.thumbprint, at: now)
        response.dpopNonce = try dpopNonceToSend(after: proof, client: client, now: now)
        return response
    }
}
