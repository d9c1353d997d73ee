import BatonCore

/// RFC 9449 at the token and revocation endpoints: the request's proof is checked here, with the
/// service's clock, before any Redis call; what needs the family (its binding, the `jti` replay)
/// is the store's.
extension TokenService {
    /// The token endpoint's proof verifier for `configuration` (its `htu` is the issuer's
    /// `/oauth/token`, its `iat` window `dpopIssuedAtWindow`), with nonces under `keys`: they are
    /// made whether or not `--dpop-nonces` is on, since a client's own `dpop_nonce` may ask for them.
    /// `keyCache` holds the keys of recent proofs' headers, for every verifier of a worker.
    public static func dpopVerifier(configuration: AuthConfiguration, keys: DerivedKeys,
                                    keyCache: DPoPKeyCache = DPoPKeyCache()) throws -> DPoPProofVerifier {
        try DPoPProofVerifier(tokenEndpoint: configuration.tokenEndpoint, issuedAtWindowSeconds: configuration.dpopIssuedAtWindow,
                              nonces: try DPoPNonces(keys: keys), keyCache: keyCache)
    }

    /// The revocation endpoint's proof verifier for `configuration`: the token endpoint's checks,
    /// `iat` window and nonces, with `htu` the issuer's `/oauth/revoke`, so a proof made for one
    /// endpoint is refused at the other.
    public static func dpopRevocationVerifier(configuration: AuthConfiguration, keys: DerivedKeys,
                                              keyCache: DPoPKeyCache = DPoPKeyCache()) throws -> DPoPProofVerifier {
        try DPoPProofVerifier(endpoint: configuration.revocationEndpoint, named: "revocation endpoint",
                              issuedAtWindowSeconds: configuration.dpopIssuedAtWindow, nonces: try DPoPNonces(keys: keys),
                              keyCache: keyCache)
    }

    /// Whether `client`'s proofs must carry a nonce: `--dpop-nonces`, or the client's `dpop_nonce`.
    func dpopNonceRequired(for client: Client) -> Bool {
        configuration.dpopNoncesRequired || client.policy.dpopNonce
    }

    /// The request's verified proof (by `verifier`, the token endpoint's unless told), or nil when
    /// it carried none and `client` does not require DPoP. A missing proof for a `require_dpop`
    /// client is `invalid_dpop_proof`; a missing or stale nonce is `use_dpop_nonce` carrying the
    /// nonce to use (`BatonError.dpopNonce`). Every refusal is counted by its reason
    /// (`AuthMetrics.dpopProofRefused`): none of them reached Redis. `alternativeEndpoint` is a
    /// second URL the proof's `htu` may name (`DPoPProofVerifier.verify`).
    func verifiedProof(_ headerValues: [String], client: Client, now: Int64, verifier: DPoPProofVerifier? = nil,
                       alternativeEndpoint: String? = nil) throws -> DPoPProof? {
        let verifier = verifier ?? dpop
        guard !headerValues.isEmpty || client.policy.requireDPoP else { return nil }
        do {
            return try verifier.verify(headerValues: headerValues, method: "POST", now: now, nonceRequired: dpopNonceRequired(for: client),
                                       alternativeEndpoint: alternativeEndpoint)
        } catch let refusal as DPoPProofRefusal {
            metrics.dpopProofRefused(refusal.reason)
            var error = refusal.error
            if error.code == .useDPoPNonce { error.dpopNonce = try verifier.nonces?.current(at: now) }
            throw error
        }
    }

    /// The `DPoP-Nonce` a successful response carries (RFC 9449 §8.2): the current nonce, when the
    /// request used nonces (required, or it sent one) and its nonce is not the current bucket's or
    /// the bucket is about to end; else nil.
    func dpopNonceToSend(after proof: DPoPProof?, client: Client, now: Int64) throws -> String? {
        guard let proof, let nonces = dpop.nonces, dpopNonceRequired(for: client) || proof.nonce != nil else { return nil }
        let current = try nonces.current(at: now)
        return nonces.shouldRefresh(at: now) || proof.nonce != current ? current : nil
    }

    /// The store's DPoP refusals as RFC 9449 errors. RFC 9449 §5 requires the key check and names no
    /// code for it; `invalid_dpop_proof` is the closest. None of them revoked anything.
    static func dpopRefusal(_ reason: FamilyDecision.RejectReason) -> BatonError? {
        switch reason {
        case .dpopRequired:
            BatonError(.invalidDPoPProof, hint: "the refresh token is bound to a DPoP key: a DPoP proof is required")
        case .dpopKeyMismatch:
            BatonError(.invalidDPoPProof, hint: "the DPoP proof's key is not the one the refresh token is bound to")
        case .dpopReplay:
            BatonError(.invalidDPoPProof, hint: "the DPoP proof was already used")
        default:
            nil
        }
    }
}
