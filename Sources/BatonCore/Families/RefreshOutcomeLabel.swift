/// Every way a refresh can end, under the one name the rotation script answers with, the
/// `baton_refresh_outcomes_total{outcome}` metric counts and the logs print.
public enum RefreshOutcomeLabel: String, Sendable, CaseIterable {
    /// The presented token was current: the family advanced.
    case rotated
    /// A retry or concurrent refresh of the previous token within the grace window.
    case grace
    /// The token was newer than the store (a lost write): the family advanced past it.
    case fastForward = "fast_forward"
    /// An already rotated token was replayed: the family is revoked.
    case reuseDetected = "reuse_detected"
    /// The requested scope exceeds the session's; nothing changed.
    case scopeExceeded = "scope_exceeded"
    /// The session's absolute lifetime is over.
    case expired
    /// The user logged out everywhere after the session began.
    case revoked
    /// No such family.
    case unknownFamily = "unknown_family"
    /// The family belongs to another client.
    case wrongClient = "wrong_client"
    /// The family is DPoP-bound and the refresh carried no proof; nothing changed.
    case dpopRequired = "dpop_required"
    /// The proof's key is not the one the family is bound to; nothing changed.
    case dpopKeyMismatch = "dpop_key_mismatch"
    /// The proof's `jti` was already used with this family; nothing changed.
    case dpopReplay = "dpop_replay"
    /// The token was malformed or forged: refused before the store was asked.
    case invalid

    /// The label of a decision's reject reason (the same names).
    public init(_ reason: FamilyDecision.RejectReason) {
        self.init(rawValue: reason.rawValue)!
    }
}

extension FamilyDecision {
    /// The decision's label.
    public var label: RefreshOutcomeLabel {
        switch self {
        case .rotate: return .rotated
        case .grace: return .grace
        case .fastForward: return .fastForward
        case .reuse: return .reuseDetected
        case .reject(let reason): return RefreshOutcomeLabel(reason)
        }
    }
}
