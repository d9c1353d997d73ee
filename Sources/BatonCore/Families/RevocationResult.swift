/// The result of revoking one family (RFC 7009, or an administrator), and the rule that decides
/// it, with the DPoP binding of DESIGN.md §5b: a stolen bound token without its key does not log
/// the user out. The revocation script in Redis applies this same rule atomically; tests hold the
/// script to it.
///
/// ```swift
/// let result = RevocationResult.decide(family: record, clientID: "app", proof: .presented(thumbprint: nil))
/// // a bound family of "app": .dpopRequired, and nothing changes
/// ```
public enum RevocationResult: String, Sendable, Equatable, CaseIterable {
    /// The family existed and is gone.
    case revoked
    /// There was no such family (already revoked or expired).
    case unknown
    /// The family belongs to another client; nothing was changed.
    case wrongClient = "wrong_client"
    /// The family is DPoP-bound and a public client asked without a proof; nothing was changed.
    case dpopRequired = "dpop_required"
    /// The family is DPoP-bound to another key than the proof's; nothing was changed.
    case dpopKeyMismatch = "dpop_key_mismatch"

    /// Decides on revoking `family` (nil: there is none). With a `clientID`, only a family of that
    /// client is revoked (nil: an administrator, who may name any). Then a DPoP-bound family
    /// (`FamilyRecord.dpopThumbprint`) whose revoker must prove its key (`proof`) is revoked only
    /// with a proof for that key; an unbound family needs none, and a proof does not bind it.
    /// Only `.revoked` deletes the family; every other result changes nothing.
    public static func decide(family: FamilyRecord?, clientID: String?, proof: RevocationProof) -> RevocationResult {
        guard let family else { return .unknown }
        if let clientID, family.clientID != clientID { return .wrongClient }
        if let bound = family.dpopThumbprint, case .presented(let thumbprint) = proof {
            guard let thumbprint else { return .dpopRequired }
            guard thumbprint == bound else { return .dpopKeyMismatch }
        }
        return .revoked
    }
}

/// What a revocation request proved about the key of a DPoP-bound family (RFC 9449).
public enum RevocationProof: Sendable, Equatable {
    /// The revoker need not prove the key: an administrator, or a confidential client, whose
    /// secret already constrains who can send its requests (RFC 9449 §5 leaves confidential
    /// clients' refresh tokens unbound for that reason), so a thief needs the secret anyway.
    case notRequired
    /// A public client: the thumbprint (`jkt`) of the request's verified DPoP proof, or nil when
    /// it carried none. Only its `client_id` and this proof speak for it.
    case presented(thumbprint: String?)
}
