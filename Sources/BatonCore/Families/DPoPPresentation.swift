/// A DPoP proof (RFC 9449) presented with a refresh, as the family store needs it: the worker has
/// already checked its signature, `htm`/`htu`, `iat` and nonce. What is left needs the family's
/// state and so is decided in the store, atomically: the key must be the one the family is bound
/// to, and the `jti` must not have been seen for this family within `replayWindowMilliseconds`.
///
/// ```swift
/// let proof = DPoPPresentation(thumbprint: verified.thumbprint, jwtID: verified.jwtID,
///                              replayWindowMilliseconds: 120_000)
/// ```
public struct DPoPPresentation: Sendable, Equatable {
    /// The RFC 7638 thumbprint (`jkt`) of the proof's public key.
    public var thumbprint: String
    /// The proof's `jti`.
    public var jwtID: String
    /// How long the `jti` is remembered (ms): at least as long as the worker accepts the proof's `iat`.
    public var replayWindowMilliseconds: Int64

    /// Describes a verified proof; `replayWindowMilliseconds` must be positive.
    public init(thumbprint: String, jwtID: String, replayWindowMilliseconds: Int64) {
        precondition(replayWindowMilliseconds > 0, "a DPoP jti must be remembered for a positive time")
        self.thumbprint = thumbprint
        self.jwtID = jwtID
        self.replayWindowMilliseconds = replayWindowMilliseconds
    }
}
