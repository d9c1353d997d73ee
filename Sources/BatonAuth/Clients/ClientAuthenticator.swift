import BatonCore
import BatonCrypto

/// Authenticates the client of an OAuth request (RFC 6749 §2.3): `client_secret_basic`,
/// `client_secret_post`, or a public client's bare `client_id`. Exactly one method per request.
public struct ClientAuthenticator: Sendable {
    let registry: ClientRegistry

    /// An authenticator over the worker's client cache.
    public init(registry: ClientRegistry) {
        self.registry = registry
    }

    /// The authenticated client, or `invalid_client` (401) / `invalid_request`.
    public func authenticate(authorization: String?, form: FormBody) async throws -> Client {
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
    public static func secretHash(_ secret: String) throws -> String {
        String(decoding: Hex.encode(try SHA256.hash(Array(secret.utf8))), as: UTF8.self)
    }

    private func credentials(authorization: String?, form: FormBody) throws -> (String, String?) {
        if let authorization, let (id, secret) = try Self.basicCredentials(authorization) {
            guard form["client_secret"] == nil else {
                throw BatonError(.invalidRequest, hint: "use one client authentication method, not several")
            }
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

    /// The client id and secret of a `Basic` authorization (RFC 7617; RFC 6749 §2.3.1: both
    /// halves form-urlencoded before they are joined), read at the byte level; nil for another
    /// scheme.
    public static func basicCredentials(_ authorization: String) throws -> (id: String, secret: String)? {
        var authorization = authorization
        return try authorization.withUTF8 { header -> (String, String)? in
            let scheme = "basic ".utf8
            guard header.prefix(scheme.count).equalsIgnoringASCIICase(scheme) else { return nil }
            let malformed = BatonError(.invalidClient, hint: "malformed Basic credentials")
            // The standard alphabet as base64url, padding and surrounding blanks dropped.
            var encoded: [UInt8] = []
            encoded.reserveCapacity(header.count - scheme.count)
            var padding = 0
            for byte in header[scheme.count...] where byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") {
                switch byte {
                case UInt8(ascii: "="): padding += 1
                case _ where padding > 0: throw malformed
                case UInt8(ascii: "+"): encoded.append(UInt8(ascii: "-"))
                case UInt8(ascii: "/"): encoded.append(UInt8(ascii: "_"))
                case UInt8(ascii: "-"), UInt8(ascii: "_"): throw malformed
                default: encoded.append(byte)
                }
            }
            guard padding <= 2, padding == 0 || (encoded.count + padding) % 4 == 0,
                  let pair = try? Base64URL.decode(encoded), String(validating: pair, as: UTF8.self) != nil,
                  let colon = pair.firstIndex(of: UInt8(ascii: ":"))
            else { throw malformed }
            return try pair.withUnsafeBytes { pair in
                (try FormBody.decode(UnsafeRawBufferPointer(rebasing: pair[..<colon])),
                 try FormBody.decode(UnsafeRawBufferPointer(rebasing: pair[(colon + 1)...])))
            }
        }
    }
}
