import Testing
@testable import BatonCore

@Suite struct FamilyDecisionTests {
    private let now: Int64 = 1_800_000_000_000
    private let grace: Int64 = 10_000

    private func family(generation: UInt64 = 5, rotatedAgo: Int64 = 1_000) -> FamilyRecord {
        FamilyRecord(generation: generation, rotatedAt: now - rotatedAgo, clientID: "app",
                     createdAt: now - 86_400_000, expiresAt: now + 86_400_000)
    }

    private func decide(_ record: FamilyRecord?, presented: UInt64, client: String = "app",
                        revokedAt: Int64? = nil, grace: Int64? = nil) -> FamilyDecision {
        FamilyDecision.decide(family: record, presented: presented, clientID: client,
                              userRevokedAt: revokedAt, now: now, graceMilliseconds: grace ?? self.grace)
    }

    @Test func currentGenerationRotates() {
        #expect(decide(family(), presented: 5) == .rotate(to: 6))
    }

    @Test func previousGenerationWithinGraceReturnsTheCurrentSuccessor() {
        #expect(decide(family(rotatedAgo: 10_000), presented: 4) == .grace(current: 5))
    }

    @Test func previousGenerationAfterGraceIsReuse() {
        #expect(decide(family(rotatedAgo: 10_001), presented: 4) == .reuse(current: 5))
    }

    @Test func zeroGraceDisablesTheWindow() {
        #expect(decide(family(rotatedAgo: 0), presented: 4, grace: 0) == .reuse(current: 5))
    }

    @Test func anyOlderGenerationIsReuseHoweverOld() {
        #expect(decide(family(generation: 100_000, rotatedAgo: 1), presented: 0) == .reuse(current: 100_000))
        #expect(decide(family(rotatedAgo: 1), presented: 3) == .reuse(current: 5))
    }

    @Test func newerGenerationFastForwards() {
        #expect(decide(family(), presented: 6) == .fastForward(to: 7))
        #expect(decide(family(), presented: 9) == .fastForward(to: 10))
    }

    @Test func missingFamilyIsRejectedWithoutReuse() {
        #expect(decide(nil, presented: 5) == .reject(.unknownFamily))
    }

    @Test func anotherClientIsRejectedBeforeAnythingElse() {
        #expect(decide(family(), presented: 1, client: "other") == .reject(.wrongClient))
    }

    @Test func logoutEverywhereRejectsFamiliesCreatedBefore() {
        let record = family()
        #expect(decide(record, presented: 5, revokedAt: record.createdAt) == .reject(.userRevoked))
        #expect(decide(record, presented: 5, revokedAt: record.createdAt - 1) == .rotate(to: 6))
    }

    @Test func aScopeBeyondTheSessionsIsRefusedWithoutRotatingButReuseStillWins() throws {
        var record = family(rotatedAgo: 1_000)
        record.scope = "read write"
        func decide(_ presented: UInt64, _ scope: String) throws -> FamilyDecision {
            FamilyDecision.decide(family: record, presented: presented, clientID: "app", requestedScope: try Scope(parsing: scope),
                                  userRevokedAt: nil, now: now, graceMilliseconds: grace)
        }
        #expect(try decide(5, "read") == .rotate(to: 6))
        #expect(try decide(5, "read admin") == .reject(.scopeExceeded))
        #expect(try decide(4, "admin") == .reject(.scopeExceeded))
        #expect(try decide(6, "admin") == .reject(.scopeExceeded))
        #expect(try decide(3, "admin") == .reuse(current: 5))
    }

    @Test func absoluteLifetimeEnds() {
        var record = family()
        record.expiresAt = now
        #expect(decide(record, presented: 5) == .reject(.expired))
    }

    // DPoP (RFC 9449, DESIGN.md §5b): the binding rules come after the dead-family refusals and
    // before reuse detection, grace and rotation.

    private let key = "jkt-of-the-apps-key"

    private func proof(_ thumbprint: String? = nil, jti: String = "jti-1") -> DPoPPresentation {
        DPoPPresentation(thumbprint: thumbprint ?? key, jwtIDDigest: jti, replayWindowMilliseconds: 120_000)
    }

    private func bound(generation: UInt64 = 5, rotatedAgo: Int64 = 1_000) -> FamilyRecord {
        var record = family(generation: generation, rotatedAgo: rotatedAgo)
        record.dpopThumbprint = key
        return record
    }

    private func decide(_ record: FamilyRecord?, presented: UInt64, proof: DPoPPresentation?, seen: Bool = false,
                        scope: String? = nil) throws -> FamilyDecision {
        FamilyDecision.decide(family: record, presented: presented, clientID: "app",
                              requestedScope: try scope.map { try Scope(parsing: $0) }, proof: proof, proofSeen: seen,
                              userRevokedAt: nil, now: now, graceMilliseconds: grace)
    }

    @Test func aBoundFamilyWithoutAProofIsRefusedAndNothingChanges() throws {
        let decision = try decide(bound(), presented: 5, proof: nil)
        #expect(decision == .reject(.dpopRequired))
        #expect(decision.label == .dpopRequired)
        #expect(decision.effects(proofPresented: false) == FamilyEffects(record: .unchanged, remembersProof: false))
    }

    @Test func aBoundFamilyWithAnotherKeysProofIsRefusedAndTheJTIIsNotRemembered() throws {
        let decision = try decide(bound(), presented: 5, proof: proof("jkt-of-another-key"))
        #expect(decision == .reject(.dpopKeyMismatch))
        #expect(decision.label == .dpopKeyMismatch)
        #expect(decision.effects(proofPresented: true) == FamilyEffects(record: .unchanged, remembersProof: false))
        // The key is compared before the jti: a replayed proof for another key is a mismatch.
        #expect(try decide(bound(), presented: 5, proof: proof("jkt-of-another-key"), seen: true) == .reject(.dpopKeyMismatch))
    }

    @Test func aBoundFamilyWithTheMatchingKeyRotatesAndRemembersTheJTI() throws {
        let decision = try decide(bound(), presented: 5, proof: proof())
        #expect(decision == .rotate(to: 6))
        #expect(decision.effects(proofPresented: true) == FamilyEffects(record: .advanced(to: 6), remembersProof: true))
        #expect(try decide(bound(), presented: 7, proof: proof()) == .fastForward(to: 8))
    }

    @Test func aReplayedJTIIsRefusedOnBoundAndUnboundFamiliesAndNothingChanges() throws {
        for record in [bound(), family()] {
            let decision = try decide(record, presented: 5, proof: proof(), seen: true)
            #expect(decision == .reject(.dpopReplay))
            #expect(decision.label == .dpopReplay)
            #expect(decision.effects(proofPresented: true) == FamilyEffects(record: .unchanged, remembersProof: false))
        }
        // Without a proof there is no jti to replay: an unbound family rotates as before.
        #expect(try decide(family(), presented: 5, proof: nil, seen: true) == .rotate(to: 6))
    }

    @Test func anUnboundFamilyAcceptsAProofAndStaysUnbound() throws {
        let record = family()
        let decision = try decide(record, presented: 5, proof: proof("any-key"))
        #expect(decision == .rotate(to: 6))
        #expect(decision.effects(proofPresented: true) == FamilyEffects(record: .advanced(to: 6), remembersProof: true))
        #expect(record.dpopThumbprint == nil)
        #expect(try decide(record, presented: 5, proof: nil) == .rotate(to: 6))
    }

    @Test func aThiefsReplayedOldTokenWithoutTheKeyRevokesNothing() throws {
        // Generation 3 of a family at 5, long after the grace window: unbound, that is reuse.
        let old = bound(generation: 5, rotatedAgo: 60_000)
        #expect(FamilyDecision.decide(family: family(generation: 5, rotatedAgo: 60_000), presented: 3, clientID: "app",
                                      userRevokedAt: nil, now: now, graceMilliseconds: grace) == .reuse(current: 5))
        for attempt in [try decide(old, presented: 3, proof: nil),
                        try decide(old, presented: 3, proof: proof("thiefs-own-key")),
                        try decide(old, presented: 4, proof: nil),
                        try decide(old, presented: 5, proof: proof("thiefs-own-key"))] {
            #expect(attempt == .reject(.dpopRequired) || attempt == .reject(.dpopKeyMismatch))
            // Not revoked, generation unchanged, no jti spent.
            #expect(attempt.effects(proofPresented: true) == FamilyEffects(record: .unchanged, remembersProof: false))
        }
        // The key's holder still refreshes the current token.
        #expect(try decide(old, presented: 5, proof: proof(jti: "owner")) == .rotate(to: 6))
    }

    @Test func aReplayByTheKeysHolderIsStillReuse() throws {
        let decision = try decide(bound(rotatedAgo: 60_000), presented: 3, proof: proof())
        #expect(decision == .reuse(current: 5))
        #expect(decision.effects(proofPresented: true) == FamilyEffects(record: .deleted, remembersProof: true))
    }

    @Test func aGraceRetryWithAFreshProofGetsTheSameSuccessor() throws {
        // The first refresh of generation 4 (jti-1) rotated the family to 5 a moment ago; the
        // retry carries a new proof for the same key.
        let family = bound(generation: 5, rotatedAgo: 2_000)
        let retry = try decide(family, presented: 4, proof: proof(jti: "jti-2"))
        #expect(retry == .grace(current: 5))
        #expect(retry.effects(proofPresented: true) == FamilyEffects(record: .unchanged, remembersProof: true))
        // Replaying the first proof instead is refused without touching the family.
        #expect(try decide(family, presented: 4, proof: proof(jti: "jti-1"), seen: true) == .reject(.dpopReplay))
    }

    @Test func aProofPassingTheDPoPRulesIsRememberedEvenWhenTheScopeIsRefused() throws {
        var record = bound()
        record.scope = "read write"
        let decision = try decide(record, presented: 5, proof: proof(), scope: "admin")
        #expect(decision == .reject(.scopeExceeded))
        #expect(decision.effects(proofPresented: true) == FamilyEffects(record: .unchanged, remembersProof: true))
    }

    @Test func deadFamiliesAreRefusedBeforeTheDPoPRules() throws {
        var expired = bound()
        expired.expiresAt = now
        #expect(try decide(expired, presented: 5, proof: nil) == .reject(.expired))
        #expect(try decide(nil, presented: 5, proof: nil) == .reject(.unknownFamily))
        #expect(FamilyDecision.decide(family: bound(), presented: 5, clientID: "other", proof: nil,
                                      userRevokedAt: nil, now: now, graceMilliseconds: grace) == .reject(.wrongClient))
        #expect(FamilyDecision.reject(.expired).effects(proofPresented: true) == FamilyEffects(record: .deleted, remembersProof: false))
    }
}
