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
}
