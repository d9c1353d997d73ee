import BatonCore
import BatonCrypto

extension DPoPProof {
    /// The proof as the family store needs it: its key's thumbprint and a bounded digest of its
    /// `jti` (base64url SHA-256, 43 characters), remembered for `replayWindowMilliseconds`.
    /// Hashing here keeps BatonStore free of crypto (DESIGN.md §10) and its replay key bounded.
    public func presentation(replayWindowMilliseconds: Int64) throws -> DPoPPresentation {
        DPoPPresentation(thumbprint: thumbprint, jwtIDDigest: try Self.digest(ofJWTID: jwtID),
                         replayWindowMilliseconds: replayWindowMilliseconds)
    }

    /// The base64url SHA-256 of a `jti`: what the store remembers instead of the `jti` itself.
    public static func digest(ofJWTID jwtID: String) throws -> String {
        Base64URL.encodeToString(try SHA256.hash(Array(jwtID.utf8)))
    }
}
