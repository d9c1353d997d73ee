import Testing
@testable import BatonCore

@Suite struct KeysetPlanTests {
    private func key(_ id: String, activates: Int64, retires: Int64? = nil, revoked: Int64? = nil) -> SigningKeyRecord {
        SigningKeyRecord(keyID: id, algorithm: "ES256", sealedPrivateKey: "", publishedAt: min(activates, 0),
                         activatesAt: activates, retiresAt: retires, revokedAt: revoked)
    }

    private func apply(_ change: KeysetPlan.Change, to records: [SigningKeyRecord]) -> [SigningKeyRecord] {
        var byID = Dictionary(uniqueKeysWithValues: records.map { ($0.keyID, $0) })
        for id in change.remove { byID[id] = nil }
        for record in change.write { byID[record.keyID] = record }
        return Array(byID.values)
    }

    @Test func rotationRetiresTheCurrentKeyWhenTheNewOneActivates() {
        let records = [key("a", activates: 0)]
        let next = key("b", activates: 400)
        let after = apply(KeysetPlan.rotate(records, adding: next, now: 100, retention: 1000), to: records)
        for instant: Int64 in [100, 399] { #expect(SigningKeyRecord.active(in: after, at: instant)?.keyID == "a") }
        for instant: Int64 in [400, 5000] { #expect(SigningKeyRecord.active(in: after, at: instant)?.keyID == "b") }
        #expect(after.first { $0.keyID == "a" }?.state(at: 400) == .retired)
        #expect(after.first { $0.keyID == "b" }?.state(at: 100) == .next)
    }

    @Test func exactlyOneKeyIsActiveAtEveryInstantAcrossRotations() {
        var records = [key("k0", activates: 0)]
        for (index, (now, lead)) in [(10, 50), (20, 5), (100, 0), (101, 30), (102, 1)].enumerated() {
            let next = key("k\(index + 1)", activates: Int64(now + lead))
            records = apply(KeysetPlan.rotate(records, adding: next, now: Int64(now), retention: 10_000), to: records)
        }
        for instant in Int64(0)...200 {
            let active = records.filter { $0.state(at: instant) == .active }
            #expect(active.count == 1, "at \(instant): \(active.map(\.keyID))")
        }
    }

    @Test func retiredKeysLeaveAfterTheRetention() {
        let records = [key("old", activates: 0, retires: 100), key("current", activates: 100)]
        #expect(KeysetPlan.expired(records, now: 1099, retention: 1000).isEmpty)
        #expect(KeysetPlan.expired(records, now: 1100, retention: 1000) == ["old"])
        #expect(records[0].isPublished(at: 1099, retention: 1000))
        #expect(!records[0].isPublished(at: 1100, retention: 1000))
    }

    @Test func revokingTheActiveKeyPromotesTheWaitingOne() throws {
        let records = [key("a", activates: 0, retires: 500), key("b", activates: 500)]
        let change = try #require(try KeysetPlan.revoke(records, keyID: "a", now: 100, retention: 1000) {
            Issue.record("no new key is needed when one waits")
            return key("c", activates: 100)
        })
        let after = apply(change, to: records)
        #expect(SigningKeyRecord.active(in: after, at: 100)?.keyID == "b")
        #expect(after.first { $0.keyID == "a" }?.state(at: 100) == .revoked)
        #expect(!after.first { $0.keyID == "a" }!.isPublished(at: 100, retention: 1000))
    }

    @Test func revokingTheOnlyKeyTakesAReplacement() throws {
        let records = [key("a", activates: 0)]
        let change = try #require(try KeysetPlan.revoke(records, keyID: "a", now: 100, retention: 1000) { key("c", activates: 100) })
        #expect(SigningKeyRecord.active(in: apply(change, to: records), at: 100)?.keyID == "c")
        #expect(try KeysetPlan.revoke(records, keyID: "missing", now: 100, retention: 1000) { key("x", activates: 0) } == nil)
    }

    @Test func rotationIsDueOncePerPeriod() {
        let records = [key("a", activates: 1000)]
        #expect(!KeysetPlan.rotationDue(records, now: 1999, period: 1000, lead: 0))
        #expect(KeysetPlan.rotationDue(records, now: 2000, period: 1000, lead: 0))
        #expect(KeysetPlan.rotationDue(records, now: 1700, period: 1000, lead: 300))
        #expect(KeysetPlan.rotationDue([], now: 0, period: 1000, lead: 0))
    }
}
