import BatonCore

extension TokenService {
    /// RFC 6749 §4.4: an access token for the client itself; no refresh token.
    public func clientCredentials(client: Client, form: FormBody) throws -> TokenResponse {
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
        return try tokenResponse(for: client, subject: client.id, scope: scope.description, session: nil, refresh: nil,
                                 authTime: nil, extraMembers: [], at: clock.milliseconds())
    }
}
