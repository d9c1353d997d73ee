import BatonCore

/// A DPoP proof `DPoPProofVerifier` refused: the error the client gets, and why in one word of a
/// small fixed set, the `reason` label of `baton_dpop_proofs_refused_total`.
///
/// ```swift
/// do { proof = try verifier.verify(headerValues: values, method: "POST", now: now, nonceRequired: false) }
/// catch let refusal as DPoPProofRefusal { metrics.dpopProofRefused(refusal.reason); throw refusal.error }
/// ```
public struct DPoPProofRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why a proof is refused before Redis is asked.
    public enum Reason: String, Sendable, CaseIterable {
        /// No proof, where the client's `require_dpop` asks for one.
        case missing
        /// Not a usable proof: more than one `DPoP` header, too large, not a compact JWS, not JSON,
        /// a wrong `typ`, `alg`, `crit` or `jwk`, or a `jti` out of bounds.
        case malformed
        /// The signature does not verify with the header's key.
        case signature
        /// `htm` or `htu` names another request: a proof made for another endpoint or server.
        case target
        /// `iat` outside the window around the server's time.
        case iat
        /// A nonce required and missing, or stale or forged (`use_dpop_nonce`).
        case nonce
    }

    /// Why the proof was refused.
    public let reason: Reason
    /// What the client is answered: `invalid_dpop_proof`, or `use_dpop_nonce` for `.nonce`.
    public let error: BatonError

    /// A refusal for `reason`, answered with `error`.
    public init(_ reason: Reason, _ error: BatonError) {
        self.reason = reason
        self.error = error
    }

    /// The client's error and the reason, never the proof.
    public var description: String { "\(error) [\(reason.rawValue)]" }
}
