/// A DPoP proof (RFC 9449) presented with a refresh, as the family store needs it: the worker has
/// already checked its signature, `htm`/`htu`, `iat` and nonce. What is left needs the family's
/// state and so is decided in the store, atomically: the key must be the one the family is bound
/// to, and the `jti` must not have been seen for this family within `replayWindowMilliseconds`.
///
/// The store never sees the `jti` itself, only `jwtIDDigest`, a bounded digest of it that
/// `BatonAuth` computes (base64url SHA-256, 43 characters), so the replay key's length does not
/// depend on what the client sent and the store needs no hashing of its own.
///
/// ```swift
/// let proof = DPoPPresentation(thumbprint: verified.thumbprint, jwtIDDigest: "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU",
///                              replayWindowMilliseconds: 130_000)
/// ```
public struct DPoPPresentation: Sendable, Equatable {
    /// The longest `jwtIDDigest` accepted, in bytes (a base64url SHA-256 is 43).
    public static let maximumDigestLength = 64

    /// The RFC 7638 thumbprint (`jkt`) of the proof's public key.
    public var thumbprint: String
    /// A digest of the proof's `jti` (1 to 64 visible ASCII characters): what the replay check remembers.
    public var jwtIDDigest: String
    /// How long the `jti` is remembered (ms): at least as long as the worker accepts the proof's `iat`.
    public var replayWindowMilliseconds: Int64

    /// Describes a verified proof; `jwtIDDigest` must be 1 to 64 visible ASCII characters and
    /// `replayWindowMilliseconds` positive.
    public init(thumbprint: String, jwtIDDigest: String, replayWindowMilliseconds: Int64) {
        precondition(replayWindowMilliseconds > 0, "a DPoP jti must be remembered for a positive time")
        precondition((1...Self.maximumDigestLength).contains(jwtIDDigest.utf8.count)
                         && jwtIDDigest.utf8.allSatisfy({ (0x21...0x7E).contains($0) }),
                     "a DPoP jti digest is 1 to \(Self.maximumDigestLength) visible ASCII characters")
        self.thumbprint = thumbprint
        self.jwtIDDigest = jwtIDDigest
        self.replayWindowMilliseconds = replayWindowMilliseconds
    }
}
