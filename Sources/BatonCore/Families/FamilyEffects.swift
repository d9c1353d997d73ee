/// What a refresh decision writes: to the family's record, and whether the presented DPoP proof's
/// `jti` is remembered. The stores apply exactly this; tests compare it with what they see.
public struct FamilyEffects: Sendable, Equatable {
    /// What happens to the family's record.
    public enum Record: Sendable, Equatable {
        /// Nothing is written (its idle timeout is not extended either).
        case unchanged
        /// The generation becomes the given one, the rotation time now, and the idle timeout restarts.
        case advanced(to: UInt64)
        /// The family is deleted (reuse, logout everywhere, absolute end).
        case deleted
    }

    /// What happens to the family's record.
    public var record: Record
    /// Whether the proof's `jti` is remembered for its replay window, under the family.
    public var remembersProof: Bool

    /// Creates a description of effects.
    public init(record: Record, remembersProof: Bool) {
        self.record = record
        self.remembersProof = remembersProof
    }
}

extension FamilyDecision {
    /// The decision's effects when the refresh did (or did not) carry a DPoP proof. A proof is
    /// remembered as soon as it passes the DPoP rules, even when a later rule refuses
    /// (`.scopeExceeded`) or revokes (`.reuse`): the proof was spent either way.
    public func effects(proofPresented: Bool) -> FamilyEffects {
        switch self {
        case .rotate(let next), .fastForward(let next):
            return FamilyEffects(record: .advanced(to: next), remembersProof: proofPresented)
        case .grace, .reject(.scopeExceeded):
            return FamilyEffects(record: .unchanged, remembersProof: proofPresented)
        case .reuse:
            return FamilyEffects(record: .deleted, remembersProof: proofPresented)
        case .reject(.userRevoked), .reject(.expired):
            return FamilyEffects(record: .deleted, remembersProof: false)
        case .reject(.unknownFamily), .reject(.wrongClient), .reject(.dpopRequired), .reject(.dpopKeyMismatch),
             .reject(.dpopReplay):
            return FamilyEffects(record: .unchanged, remembersProof: false)
        }
    }
}
