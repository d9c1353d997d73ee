import BatonCore
import Testing

/// The handoff table (`HandoffDecision`): once, in time, for the right client and key; a second
/// or late use revokes; nothing a thief without the code's client or key can do changes anything.
@Suite struct HandoffDecisionTests {
    static let now: Int64 = 1_800_000_000_000

    static func family(deadline: Int64? = now + 60_000, client: String = "web", binding: String? = nil,
                       expiresAt: Int64 = now + 1_000_000) -> FamilyRecord {
        FamilyRecord(generation: 0, rotatedAt: now - 1_000, clientID: client, createdAt: now - 1_000, expiresAt: expiresAt,
                     scope: "read", dpopThumbprint: binding, handoffDeadline: deadline)
    }

    private func decide(_ family: FamilyRecord?, client: String = "web", proof: String? = nil, revokedAt: Int64? = nil,
                        at now: Int64 = now) -> HandoffDecision {
        HandoffDecision.decide(family: family, clientID: client, proofThumbprint: proof, userRevokedAt: revokedAt, now: now)
    }

    @Test func deliversOnceBeforeTheDeadline() {
        #expect(decide(Self.family()) == .deliver)
        #expect(decide(Self.family(deadline: Self.now)) == .deliver)
        #expect(decide(Self.family(deadline: nil)) == .reject(.alreadyUsed))
    }

    @Test func aLateOrSecondUseRevokes() {
        #expect(decide(Self.family(deadline: Self.now - 1)) == .reject(.late))
        #expect(HandoffDecision.Reason.late.revokesFamily)
        #expect(HandoffDecision.Reason.alreadyUsed.revokesFamily)
    }

    @Test func anotherClientOrNoFamilyChangesNothing() {
        #expect(decide(Self.family(), client: "other") == .reject(.wrongClient))
        #expect(decide(nil) == .reject(.unknownFamily))
        #expect(!HandoffDecision.Reason.wrongClient.revokesFamily)
        #expect(!HandoffDecision.Reason.unknownFamily.revokesFamily)
    }

    @Test func deadSessionsAreRefusedAndRemoved() {
        #expect(decide(Self.family(), revokedAt: Self.now - 1_000) == .reject(.userRevoked))
        #expect(decide(Self.family(), revokedAt: Self.now - 1_001) == .deliver)
        #expect(decide(Self.family(expiresAt: Self.now)) == .reject(.expired))
        #expect(HandoffDecision.Reason.userRevoked.revokesFamily && HandoffDecision.Reason.expired.revokesFamily)
    }

    /// A bound session needs its key before the code is spent, even a spent or late code: a thief
    /// without the key learns nothing and burns nothing.
    @Test func aBoundSessionNeedsItsKeyFirst() {
        for deadline: Int64? in [Self.now + 60_000, nil, Self.now - 1] {
            let bound = Self.family(deadline: deadline, binding: "key-A")
            #expect(decide(bound) == .reject(.dpopRequired))
            #expect(decide(bound, proof: "key-B") == .reject(.dpopKeyMismatch))
        }
        #expect(decide(Self.family(binding: "key-A"), proof: "key-A") == .deliver)
        #expect(decide(Self.family(), proof: "key-B") == .deliver)  // an unbound session accepts a proof
        #expect(!HandoffDecision.Reason.dpopRequired.revokesFamily && !HandoffDecision.Reason.dpopKeyMismatch.revokesFamily)
    }
}
