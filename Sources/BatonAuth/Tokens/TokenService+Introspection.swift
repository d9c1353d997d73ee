import BatonCore
import Foundation

extension TokenService {
    /// RFC 7662: whether a token is active, with its claims. Refresh tokens are shown only to
    /// the client that holds them; access tokens to any authenticated client. A DPoP-bound token
    /// shows its `cnf.jkt` (RFC 9449 §6.2); an access token's `token_type` is then `DPoP`.
    public func introspect(client: Client, form: FormBody) async throws -> [UInt8] {
        let token = try form.required("token")
        let nowMilliseconds = clock.milliseconds()
        var json = JSONWriter()
        if token.hasPrefix("btr1.") {
            guard let refresh = try? codec.verify(Array(token.utf8)),
                  let state = try await families.state(of: refresh.sessionID),
                  state.clientID == client.id, state.generation == refresh.generation
            else { return Self.inactive }
            json.member("active", true)
            json.member("token_type", "refresh_token")
            json.member("client_id", state.clientID)
            json.member("sub", state.subject)
            if !state.scope.isEmpty { json.member("scope", state.scope) }
            json.member("sid", state.session.description)
            json.member("iat", state.createdAt / 1000)
            json.member("exp", state.expiresAt / 1000)
            if let thumbprint = state.dpopThumbprint { json.member("cnf", rawJSON: Self.confirmation(thumbprint)) }
            return json.finish()
        }
        let verifier = AccessTokenVerifier(keyring: keyring, issuer: configuration.issuer)
        guard let claims = verifier.verify(token, now: nowMilliseconds / 1000) else { return Self.inactive }
        if let sid = claims["sid"] as? String {
            guard let session = SessionID(sid), try await families.state(of: session) != nil else { return Self.inactive }
        }
        let thumbprint = (claims["cnf"] as? [String: Any])?["jkt"] as? String
        json.member("active", true)
        json.member("token_type", thumbprint == nil ? "Bearer" : "DPoP")
        for name in ["iss", "sub", "aud", "client_id", "scope", "sid", "jti"] {
            if let value = claims[name] as? String { json.member(name, value) }
        }
        for name in ["iat", "exp", "auth_time"] {
            if let value = (claims[name] as? NSNumber)?.int64Value { json.member(name, value) }
        }
        if let thumbprint { json.member("cnf", rawJSON: Self.confirmation(thumbprint)) }
        return json.finish()
    }

    /// `{"jkt":"…"}`.
    private static func confirmation(_ thumbprint: String) -> [UInt8] {
        var json = JSONWriter(capacity: 64)
        json.member("jkt", thumbprint)
        return json.finish()
    }

    private static var inactive: [UInt8] { Array(#"{"active":false}"#.utf8) }
}
