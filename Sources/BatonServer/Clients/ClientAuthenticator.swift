import BatonCore
import BatonCrypto
import Foundation

/// Authenticates the client of an OAuth request (RFC 6749 §2.3): `client_secret_basic`,
/// `client_secret_post`, or a public client's bare `client_id`. Exactly one method per request.
struct ClientAuthenticator: Sendable {
    let registry: ClientRegistry

    /// The authenticated client, or `invalid_client` (401) / `invalid_request`.
    func authenticate(authorization: String?, form: FormBody) async throws -> Client {
        let (id, secret) = try credentials(authorization: authorization, form: form)
        guard Client.isValidID(id), let client = try await registry.client(id) else {
            throw BatonError(.invalidClient, hint: "client authentication failed", debug: "unknown client")
        }
        try Self.verify(client, secret: secret)
        return client
    }

    /// Checks a client's secret in constant time; public clients must send none.
    static func verify(_ client: Client, secret: String?) throws {
        switch (client.secretHash, secret) {
        case (nil, nil):
            return
        case (nil, .some):
            throw BatonError(.invalidClient, hint: "client authentication failed", debug: "public client sent a secret")
        case (.some, nil):
            throw BatonError(.invalidClient, hint: "client authentication failed", debug: "confidential client sent no secret")
        case (.some(let stored), .some(let presented)):
            guard ConstantTime.equals(Array(stored.utf8), Array(try secretHash(presented).utf8)) else {
                throw BatonError(.invalidClient, hint: "client authentication failed", debug: "wrong client secret")
            }
        }
    }

    /// The hex SHA-256 under which a client secret is stored.
    static func secretHash(_ secret: String) throws -> String {
        String(decoding: Hex.encode(try SHA256.hash(Array(secret.utf8))), as: UTF8.self)
    }

    private func credentials(authorization: String?, form: FormBody) throws -> (String, String?) {
        if let authorization, authorization.lowercased().hasPrefix("basic ") {
            guard form["client_secret"] == nil else {
                throw BatonError(.invalidRequest, hint: "use one client authentication method, not several")
            }
            guard let data = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                  let pair = String(data: data, encoding: .utf8), let colon = pair.firstIndex(of: ":")
            else { throw BatonError(.invalidClient, hint: "malformed Basic credentials") }
            // RFC 6749 §2.3.1: both halves are form-urlencoded before they are joined.
            let id = try FormBody.decode(Array(pair[..<colon].utf8))
            let secret = try FormBody.decode(Array(pair[pair.index(after: colon)...].utf8))
            if let formID = form["client_id"], formID != id {
                throw BatonError(.invalidRequest, hint: "client_id does not match the Basic credentials")
            }
            return (id, secret)
        }
        guard let id = form["client_id"] else {
            throw BatonError(.invalidClient, hint: "client authentication is required")
        }
        return (id, form["client_secret"])
    }
}
