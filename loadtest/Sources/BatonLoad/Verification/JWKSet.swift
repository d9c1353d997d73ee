import BatonCrypto
import Foundation

/// Parses a JWKS (RFC 7517 §5) into verification keys by kid. Keys that cannot be imported are
/// skipped and named in `skipped`.
public struct JWKSet: Sendable {
    /// The keys by kid.
    public let keys: [String: VerificationKey]
    /// Descriptions of keys that could not be imported.
    public let skipped: [String]

    /// Parses `json`, importing only keys whose kid is not in `known`; throws when it is not a JWKS.
    public init(json: [UInt8], excluding known: Set<String> = []) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
              let members = object["keys"] as? [[String: Any]]
        else { throw LoadError.setup("the JWKS is not a JSON object with a keys array") }
        var keys: [String: VerificationKey] = [:]
        var skipped: [String] = []
        for member in members {
            let kid = member["kid"] as? String
            if let kid, known.contains(kid) { continue }
            guard let keyType = member["kty"] as? String else {
                skipped.append("\(kid ?? "no kid"): no kty")
                continue
            }
            let jwk = JWK(keyType: keyType, curve: member["crv"] as? String, x: member["x"] as? String, y: member["y"] as? String,
                          modulus: member["n"] as? String, exponent: member["e"] as? String, keyID: kid,
                          algorithm: member["alg"] as? String, use: member["use"] as? String)
            do {
                let key = try VerificationKey(jwk: jwk)
                keys[key.keyID] = key
            } catch {
                skipped.append("\(kid ?? "no kid"): \(error)")
            }
        }
        self.keys = keys
        self.skipped = skipped
    }
}
