import BatonCore
import BatonRedis
import Testing
@testable import BatonStore

/// The handoff script must decide exactly as `HandoffDecision.decide`, the pure model, over a grid
/// of states (handoff pending, spent or late; clients; revocations; lifetimes; DPoP binding and
/// proof), and write exactly what the decision says: a delivery clears the deadline and sets the
/// idle timeout, a revoking refusal deletes the family, any other refusal changes nothing.
@Suite struct HandoffScriptModelTests {
    private struct Case: CustomStringConvertible {
        var deadline: Int64?  // relative to now; nil: already handed over
        var client = "web"
        var revokedOffset: Int64?  // user revocation time relative to the family's creation
        var remaining: Int64 = 1_000_000  // absolute end relative to now
        var binding: String?
        var proofKey: String?
        var missing = false
        var description: String {
            "missing \(missing) deadline \(String(describing: deadline)) client \(client) revoked \(String(describing: revokedOffset)) remaining \(remaining) binding \(String(describing: binding)) proof \(String(describing: proofKey))"
        }
    }

    private static var grid: [Case] {
        var cases: [Case] = []
        for deadline: Int64? in [nil, -1, 0, 1, 60_000] {
            for binding: String? in [nil, "key-A"] {
                for proofKey: String? in [nil, "key-A", "key-B"] {
                    cases.append(Case(deadline: deadline, binding: binding, proofKey: proofKey))
                    cases.append(Case(deadline: deadline, client: "other", binding: binding, proofKey: proofKey))
                    cases.append(Case(deadline: deadline, revokedOffset: 0, binding: binding, proofKey: proofKey))
                    cases.append(Case(deadline: deadline, remaining: 0, binding: binding, proofKey: proofKey))
                    cases.append(Case(deadline: deadline, binding: binding, proofKey: proofKey, missing: true))
                }
            }
            for revoked: Int64 in [-1, 1] { cases.append(Case(deadline: deadline, revokedOffset: revoked)) }
            for remaining: Int64 in [-1, 1] { cases.append(Case(deadline: deadline, remaining: remaining)) }
        }
        return cases
    }

    @Test func scriptAgreesWithTheModel() async throws {
        try await withStore { store, redis in
            let now = FamilyStoreTests.now
            let created = now - 100_000
            var seen: Set<String> = []
            for item in Self.grid {
                let session = FamilyStoreTests.session()
                let familyKey = KeySchema.family(session)
                let record = FamilyRecord(generation: 0, rotatedAt: created, clientID: "web", createdAt: created,
                                          expiresAt: now + item.remaining, scope: "read", dpopThumbprint: item.binding,
                                          handoffDeadline: item.deadline.map { now + $0 })
                var fields: [FamilyField: String] = [
                    .generation: "0", .rotatedAt: String(created), .clientID: "web", .createdAt: String(created),
                    .expiresAt: String(record.expiresAt), .subject: "model", .scope: "read", .authTime: "7", .claims: "",
                ]
                fields[.dpopThumbprint] = item.binding
                fields[.handoffDeadline] = record.handoffDeadline.map { String($0) }
                if !item.missing {
                    try await writeFamily(fields, at: familyKey, on: redis)
                    _ = try await redis.send("PEXPIRE", familyKey, "300000")
                }
                let revocations = KeySchema.revocations(shard: session.shard)
                _ = try await redis.send("DEL", revocations)
                if let offset = item.revokedOffset {
                    _ = try await redis.send("HSET", revocations, "model", String(created + offset))
                }
                let before = try await redis.send("HGETALL", familyKey)

                let expected = HandoffDecision.decide(family: item.missing ? nil : record, clientID: item.client,
                                                      proofThumbprint: item.proofKey,
                                                      userRevokedAt: item.revokedOffset.map { created + $0 }, now: now)
                let outcome = try await store.redeemHandoff(session, clientID: item.client, proofThumbprint: item.proofKey, now: now,
                                                            idleMilliseconds: 60_000)
                #expect(outcome.decision == expected, "\(item)")
                switch expected {
                case .deliver:
                    seen.insert("delivered")
                    #expect(outcome == HandoffOutcome(decision: .deliver, subject: "model", scope: "read", authTime: 7, claims: "",
                                                      expiresAt: record.expiresAt, dpopThumbprint: item.binding), "\(item)")
                    #expect(try await redis.send("HEXISTS", familyKey, FamilyField.handoffDeadline.rawValue) == .integer(0), "\(item)")
                    let ttl = try await redis.send("PTTL", familyKey).int ?? -3
                    // The idle timeout, never past the absolute end (a 1 ms TTL may be over already).
                    let lifetime = min(60_000, item.remaining)
                    #expect(ttl <= lifetime && (ttl > lifetime - 30_000 || lifetime < 1_000), "\(item): \(ttl)")
                case .reject(let reason):
                    seen.insert(reason.rawValue)
                    if reason.revokesFamily {
                        #expect(try await redis.send("EXISTS", familyKey) == .integer(0), "\(item)")
                    } else {
                        #expect(try await redis.send("HGETALL", familyKey) == before, "\(item)")
                    }
                }
            }
            // The grid reaches every outcome the script can answer.
            #expect(seen == Set(HandoffDecision.Reason.allCases.map(\.rawValue) + ["delivered"]))
        }
    }

    /// A cookie-mode family lives no longer than its handoff deadline until it is handed over, and
    /// the deadline is stored with it.
    @Test func anUnexchangedFamilyExpiresWithItsCode() async throws {
        try await withStore { store, redis in
            let now = FamilyStoreTests.now
            let session = FamilyStoreTests.session()
            var family = FamilyStoreTests.newFamily(session)
            family.handoffDeadline = now + 60_000
            _ = try await store.create(family, now: now)
            let key = KeySchema.family(session)
            #expect(try await redis.send("HGET", key, FamilyField.handoffDeadline.rawValue) == .bulkString(Array(String(now + 60_000).utf8)))
            let ttl = try await redis.send("PTTL", key).int ?? -3
            #expect(ttl > 30_000 && ttl <= 60_001, "\(ttl)")  // not the 14-day idle timeout
        }
    }
}
