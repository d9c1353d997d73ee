/// A DPoP proof (RFC 9449 §4) that `DPoPProofVerifier` accepted: header, signature and claims
/// checked. Its `jwtID` is not yet checked for replay; the refresh script does that in Redis.
public struct DPoPProof: Sendable, Equatable {
    /// The RFC 7638 thumbprint of the proof's public key (`jkt`): base64url SHA-256.
    public let thumbprint: String
    /// `jti`: the proof's unique identifier, for the replay check.
    public let jwtID: String
    /// `iat`: when the client made the proof, in whole seconds since 1970.
    public let issuedAt: Int64
    /// `nonce`: present only when nonces are on and the proof carried a valid one.
    public let nonce: String?
}
