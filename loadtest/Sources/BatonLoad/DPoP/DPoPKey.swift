import BatonCrypto

/// One DPoP key of the harness (RFC 9449): a virtual user's, or the theft scenario's thief's. It
/// holds what every proof it signs repeats, prepared once: the `jkt` a session is bound to and the
/// proof's protected header, already base64url-encoded.
struct DPoPKey {
    /// The private key that signs the proofs.
    let signingKey: SigningKey
    /// The RFC 7638 thumbprint of the public key (`dpop_jkt` at session creation), as ASCII.
    let thumbprint: [UInt8]
    /// `base64url({"typ":"dpop+jwt","alg":…,"jwk":{…}})` and the `.` after it: the first bytes of
    /// every proof.
    let headerSegment: [UInt8]

    /// A new random key of `algorithm` (ES256 unless told).
    static func generate(_ algorithm: SigningAlgorithm = .es256) throws -> DPoPKey {
        try DPoPKey(signingKey: SigningKey.generate(algorithm))
    }

    /// Prepares proofs signed by `signingKey`; the header's `jwk` is the bare public key (no `kid`,
    /// `alg` or `use`).
    init(signingKey: SigningKey) throws {
        var jwk = signingKey.jwk
        jwk.keyID = nil
        jwk.algorithm = nil
        jwk.use = nil
        self.signingKey = signingKey
        thumbprint = Array(try jwk.thumbprint().utf8)
        let header = Array(#"{"typ":"dpop+jwt","alg":""#.utf8) + Array(signingKey.algorithm.rawValue.utf8)
            + Array(#"","jwk":"#.utf8) + jwk.json + [UInt8(ascii: "}")]
        headerSegment = Base64URL.encode(header) + [UInt8(ascii: ".")]
    }
}
