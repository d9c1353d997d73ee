/// A JWS signature algorithm Baton signs access tokens with (RFC 7518 §3, RFC 8037 §3.1).
public enum SigningAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// ECDSA on P-256 with SHA-256; signatures are raw `R || S`, 64 bytes.
    case es256 = "ES256"
    /// Ed25519 (RFC 8037); signatures are 64 bytes.
    case edDSA = "EdDSA"
    /// RSASSA-PKCS1-v1_5 with SHA-256, modulus of at least 2048 bits.
    case rs256 = "RS256"

    /// The smallest RSA modulus accepted, in bits (RFC 7518 §3.3).
    static let minimumRSABits: Int32 = 2048

    /// The digest OpenSSL hashes the signing input with, or nil when the algorithm hashes internally.
    var digestName: String? {
        switch self {
        case .es256, .rs256: "SHA256"
        case .edDSA: nil
        }
    }

    /// The OpenSSL key type name used to generate and recognise keys.
    var keyTypeName: String {
        switch self {
        case .es256: "EC"
        case .edDSA: "ED25519"
        case .rs256: "RSA"
        }
    }
}
