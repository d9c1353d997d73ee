import BatonCore
import BatonCrypto
import Foundation

/// Checks an access token the way introspection must (RFC 7662): signature by a known key that
/// is not revoked, issuer, expiry. Family state is checked by the caller.
struct AccessTokenVerifier: Sendable {
    let keyring: Keyring
    let issuer: String

    /// The verified claims, or nil for anything that is not a valid, unexpired token of ours.
    func verify(_ token: String, now seconds: Int64) -> [String: Any]? {
        guard token.utf8.count <= 8192, let jws = try? JWS(compact: token), jws.type == "at+jwt",
              let keyID = jws.keyID, let key = keyring.key(id: keyID),
              key.record.state(at: seconds) != .revoked,
              (try? jws.verify(with: key.signingKey.verificationKey)) != nil,
              let claims = try? JSONSerialization.jsonObject(with: Data(jws.payload)) as? [String: Any],
              claims["iss"] as? String == issuer,
              let expiry = (claims["exp"] as? NSNumber)?.int64Value, expiry > seconds
        else { return nil }
        return claims
    }
}
