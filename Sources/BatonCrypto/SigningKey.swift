/// A private key that signs JWS signing inputs (ES256, EdDSA or RS256), safe to share between threads.
///
/// The OpenSSL key and a prepared signing context are built once; each signature copies the context,
/// so signing from many threads at once takes no lock.
///
/// ```swift
/// let key = try SigningKey.generate(.es256)
/// let stored = try AESGCM(key: kek).seal(try key.pkcs8(), authenticating: Array(key.keyID.utf8))
/// let signature = try key.sign(signingInput)   // 64 bytes, R || S
/// ```
public struct SigningKey: Sendable, CustomStringConvertible {
    /// The algorithm this key signs with.
    public var algorithm: SigningAlgorithm { key.algorithm }
    /// The public half, for verification and for the JWKS.
    public let verificationKey: VerificationKey
    /// The public JWK (with `kid`, `alg`, `use`).
    public var jwk: JWK { verificationKey.jwk }
    /// The key ID: the RFC 7638 thumbprint of the public JWK.
    public var keyID: String { verificationKey.keyID }

    private let key: EVPKey
    private let signer: SignatureContext

    private init(_ key: EVPKey) throws {
        self.key = key
        self.signer = try SignatureContext(key: key, signing: true)
        self.verificationKey = try VerificationKey(key)
    }

    /// A new random key: P-256 for ES256, Ed25519 for EdDSA, 2048-bit RSA for RS256.
    public static func generate(_ algorithm: SigningAlgorithm) throws -> SigningKey {
        try SigningKey(EVPKey.generate(algorithm))
    }

    /// Imports an unencrypted PKCS#8 `PrivateKeyInfo` (DER); the algorithm follows from the key.
    public init(pkcs8 der: [UInt8]) throws {
        try self.init(EVPKey(pkcs8: der))
    }

    /// The private key as unencrypted PKCS#8 DER. Secret: seal it (`AESGCM`) before it leaves the process.
    public func pkcs8() throws -> [UInt8] {
        try key.pkcs8()
    }

    /// The JWS signature of `signingInput` (`base64url(header) "." base64url(payload)`):
    /// raw `R || S` for ES256, 64 bytes for EdDSA, PKCS#1 v1.5 for RS256.
    public func sign(_ signingInput: some Collection<UInt8>) throws -> [UInt8] {
        let signature = try signingInput.withContiguousBytes { try signer.sign($0) }
        return algorithm == .es256 ? try ECDSASignature.raw(fromDER: signature) : signature
    }

    /// An upper bound on the length of `sign`'s result.
    var maximumSignatureByteCount: Int { key.maximumSignatureByteCount }

    /// `SigningKey(ES256, kid: …)`: never any key material.
    public var description: String { "SigningKey(\(algorithm.rawValue), kid: \(keyID))" }
}
