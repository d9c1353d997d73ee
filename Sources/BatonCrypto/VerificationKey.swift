/// A public key that verifies JWS signatures, built from a JWK (or a `SigningKey`'s public half).
///
/// ```swift
/// let key = try VerificationKey(jwk: JWK(json: jwksEntry))
/// let valid = key.isValidSignature(signature, for: signingInput)
/// ```
public struct VerificationKey: Sendable {
    /// The algorithm signatures must use.
    public var algorithm: SigningAlgorithm { key.algorithm }
    /// The public JWK; its `kid` is the one it was given or else its RFC 7638 thumbprint.
    public let jwk: JWK
    /// The key ID (the JWK's `kid`).
    public let keyID: String

    private let key: EVPKey
    private let verifier: SignatureContext

    /// Imports a public JWK; `alg`, when present, must agree with the key, and `use`, when present, be "sig".
    public init(jwk: JWK) throws {
        let key = try EVPKey(publicJWK: jwk)
        if let stated = jwk.algorithm, stated != key.algorithm.rawValue {
            throw CryptoError(.unsupportedAlgorithm, "the JWK states alg \(stated) for a \(key.algorithm.rawValue) key")
        }
        if let use = jwk.use, use != "sig" {
            throw CryptoError(.invalidKey, "the JWK is for use \(use), not sig")
        }
        let keyID = try jwk.keyID ?? jwk.thumbprint()
        var jwk = jwk
        jwk.keyID = keyID
        self.jwk = jwk
        self.keyID = keyID
        self.key = key
        self.verifier = try SignatureContext(key: key, signing: false)
    }

    /// The public half of a private key.
    init(_ key: EVPKey) throws {
        let jwk = try key.publicJWK()
        self.jwk = jwk
        self.keyID = try jwk.keyID ?? jwk.thumbprint()
        self.key = key
        self.verifier = try SignatureContext(key: key, signing: false)
    }

    /// Whether `signature` (in JWS form: raw `R || S` for ES256) is valid for `signingInput`.
    public func isValidSignature(_ signature: some Collection<UInt8>, for signingInput: some Collection<UInt8>) -> Bool {
        signature.withContiguousBytes { signature in
            signingInput.withContiguousBytes { signingInput in
                guard algorithm == .es256 else { return verifier.verify(signature, signingInput) }
                guard let der = try? ECDSASignature.der(fromRaw: signature) else { return false }
                return der.withUnsafeBytes { verifier.verify($0, signingInput) }
            }
        }
    }
}
