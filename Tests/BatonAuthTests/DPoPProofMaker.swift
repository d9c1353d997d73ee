import BatonCrypto
import Foundation

/// Builds DPoP proofs for tests: any header and payload, as JSON objects, signed with a real key.
struct DPoPProofMaker {
    /// The token endpoint the tests' verifiers are configured with.
    static let tokenEndpoint = "https://baton.example/oauth/token"
    /// The revocation endpoint of the same issuer.
    static let revocationEndpoint = "https://baton.example/oauth/revoke"
    /// The server's time in the tests, in milliseconds since 1970 (a whole second).
    static let now: Int64 = 1_800_000_000_000

    /// The key that signs the proof and whose public half is the header's `jwk`.
    let key: SigningKey

    init(_ algorithm: SigningAlgorithm) throws {
        key = try SigningKey.generate(algorithm)
    }

    /// The key's expected `jkt`.
    var thumbprint: String {
        get throws { try key.jwk.thumbprint() }
    }

    /// The bare public JWK (no `kid`, `alg` or `use`), as a JSON object.
    var publicJWK: [String: Any] {
        var jwk = key.jwk
        jwk.keyID = nil
        jwk.algorithm = nil
        jwk.use = nil
        return try! JSONSerialization.jsonObject(with: Data(jwk.json)) as! [String: Any]
    }

    /// A valid proof for `POST` to the token endpoint at `now`, after `edit` changed its header and
    /// claims, signed by `signer` (default: the key in the header).
    func proof(
        signedBy signer: SigningKey? = nil,
        _ edit: (_ header: inout [String: Any], _ claims: inout [String: Any]) -> Void = { _, _ in }
    ) throws -> String {
        var header: [String: Any] = ["typ": "dpop+jwt", "alg": key.algorithm.rawValue, "jwk": publicJWK]
        var claims: [String: Any] = [
            "jti": UUID().uuidString, "htm": "POST", "htu": Self.tokenEndpoint, "iat": Self.now / 1000,
        ]
        edit(&header, &claims)
        return try Self.sign(header: header, claims: claims, with: signer ?? key)
    }

    /// The compact JWS of `claims` under `header`, whatever they say, signed with `key`.
    static func sign(header: [String: Any], claims: [String: Any], with key: SigningKey) throws -> String {
        let headerJSON = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        let claimsJSON = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        let token = try JWS.sign(header: Array(headerJSON), payload: Array(claimsJSON), with: key)
        return String(decoding: token, as: UTF8.self)
    }
}
