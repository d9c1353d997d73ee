import BatonCore
import BatonRedis
import Testing
@testable import BatonStore

/// The rotation script must decide exactly as `FamilyDecision.decide`, the pure model, over a
/// grid of states: generations, grace windows, clients, revocations, lifetimes and the DPoP
/// binding; and it must write exactly the model's `FamilyEffects`.
@Suite struct RefreshScriptModelTests {
    private struct Case: CustomStringConvertible {
        var current: UInt64
        var presented: UInt64
        var rotatedAgo: Int64
        var grace: Int64
        var client: String
        var revokedOffset: Int64?  // user revocation time relative to the family's creation
        var remaining: Int64       // absolute end relative to now
        var requested: String? = nil
        var binding: String? = nil  // the family's jkt
        var proofKey: String? = nil  // the presented proof's jkt (nil: no proof)
        var replayed = false         // the proof's jti was already remembered for the family
        var missing = false          // no such family
        var description: String {
            "missing \(missing) current \(current) presented \(presented) rotatedAgo \(rotatedAgo) grace \(grace) client \(client) revoked \(String(describing: revokedOffset)) remaining \(remaining) requested \(String(describing: requested)) binding \(String(describing: binding)) proof \(String(describing: proofKey)) replayed \(replayed)"
        }
    }

    private static let window: Int64 = 120_000

    private static var grid: [Case] {
        var cases: [Case] = []
        for current: UInt64 in [0, 1, 5] {
            for presented: UInt64 in [0, 1, 4, 5, 6, 9] {
                for rotatedAgo: Int64 in [0, 9_999, 10_000, 10_001] {
                    for grace: Int64 in [0, 10_000] {
                        cases.append(Case(current: current, presented: presented, rotatedAgo: rotatedAgo, grace: grace,
                                          client: "app", revokedOffset: nil, remaining: 1_000))
                    }
                }
            }
        }
        for revoked: Int64 in [-1, 0, 1] {
            cases.append(Case(current: 3, presented: 3, rotatedAgo: 5, grace: 10_000, client: "app", revokedOffset: revoked, remaining: 1_000))
        }
        for remaining: Int64 in [-1, 0, 1] {
            cases.append(Case(current: 3, presented: 2, rotatedAgo: 5, grace: 10_000, client: "app", revokedOffset: nil, remaining: remaining))
        }
        cases.append(Case(current: 3, presented: 3, rotatedAgo: 5, grace: 10_000, client: "other", revokedOffset: nil, remaining: 1_000))
        for requested in ["read", "read write", "read admin", "admin"] {
            for presented: UInt64 in [1, 2, 3, 4] {
                cases.append(Case(current: 3, presented: presented, rotatedAgo: 5, grace: 10_000, client: "app",
                                  revokedOffset: nil, remaining: 1_000, requested: requested))
            }
        }
        // DPoP: bound/unbound × no proof/matching/mismatching × fresh/replayed jti, over rotation,
        // grace, reuse (in and out of the window), fast-forward and a refused scope.
        let states: [(presented: UInt64, rotatedAgo: Int64, requested: String?)] = [
            (3, 5, nil), (2, 5, nil), (2, 20_000, nil), (1, 5, nil), (4, 5, nil), (3, 5, "admin"),
        ]
        for binding: String? in [nil, "key-A"] {
            for proofKey: String? in [nil, "key-A", "key-B"] {
                for replayed in [false, true] {
                    for state in states {
                        cases.append(Case(current: 3, presented: state.presented, rotatedAgo: state.rotatedAgo, grace: 10_000,
                                          client: "app", revokedOffset: nil, remaining: 1_000, requested: state.requested,
                                          binding: binding, proofKey: proofKey, replayed: replayed))
                    }
                    // Dead families are refused first, whatever the proof.
                    cases.append(Case(current: 3, presented: 3, rotatedAgo: 5, grace: 10_000, client: "app", revokedOffset: 0,
                                      remaining: 1_000, binding: binding, proofKey: proofKey, replayed: replayed))
                    cases.append(Case(current: 3, presented: 3, rotatedAgo: 5, grace: 10_000, client: "app", revokedOffset: nil,
                                      remaining: 0, binding: binding, proofKey: proofKey, replayed: replayed))
                    cases.append(Case(current: 3, presented: 3, rotatedAgo: 5, grace: 10_000, client: "other", revokedOffset: nil,
                                      remaining: 1_000, binding: binding, proofKey: proofKey, replayed: replayed))
                    cases.append(Case(current: 3, presented: 3, rotatedAgo: 5, grace: 10_000, client: "app", revokedOffset: nil,
                                      remaining: 1_000, binding: binding, proofKey: proofKey, replayed: replayed, missing: true))
                }
            }
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
                let record = FamilyRecord(generation: item.current, rotatedAt: now - item.rotatedAgo, clientID: "app",
                                          createdAt: created, expiresAt: now + item.remaining, scope: "read write",
                                          dpopThumbprint: item.binding)
                let requested = try item.requested.map { try Scope(parsing: $0) }
                let proof = item.proofKey.map {
                    DPoPPresentation(thumbprint: $0, jwtIDDigest: "jti-\(session)", replayWindowMilliseconds: Self.window)
                }
                var fields: [FamilyField: String] = [
                    .generation: String(record.generation), .rotatedAt: String(record.rotatedAt), .clientID: "app",
                    .createdAt: String(created), .expiresAt: String(record.expiresAt), .subject: "model",
                    .scope: record.scope, .authTime: "0", .claims: "",
                ]
                fields[.dpopThumbprint] = item.binding
                if !item.missing { try await writeFamily(fields, at: familyKey, on: redis) }
                let revocations = KeySchema.revocations(shard: session.shard)
                _ = try await redis.send("DEL", revocations)
                if let offset = item.revokedOffset {
                    _ = try await redis.send("HSET", revocations, "model", String(created + offset))
                }
                let jtiKey = KeySchema.dpopJWTID(digest: "jti-\(session)", of: session)
                if item.replayed {
                    _ = try await redis.send("SET", jtiKey, "seen-before", "PX", String(Self.window))
                }
                let before = try await redis.send("HGETALL", familyKey)

                let expected = FamilyDecision.decide(
                    family: item.missing ? nil : record, presented: item.presented, clientID: item.client, requestedScope: requested,
                    proof: proof, proofSeen: item.replayed,
                    userRevokedAt: item.revokedOffset.map { created + $0 }, now: now, graceMilliseconds: item.grace)
                let actual = try await store.refresh(session, presented: item.presented, clientID: item.client,
                                                     requestedScope: requested, proof: proof, now: now,
                                                     graceMilliseconds: item.grace, idleMilliseconds: 60_000).decision
                #expect(actual == expected, "\(item)")
                seen.insert(expected.label.rawValue)

                // The script wrote exactly the model's effects.
                let effects = expected.effects(proofPresented: proof != nil)
                switch effects.record {
                case .unchanged:
                    #expect(try await redis.send("HGETALL", familyKey) == before, "\(item)")
                case .advanced(let next):
                    let written = try await redis.send("HMGET", familyKey, FamilyField.generation.rawValue,
                                                       FamilyField.rotatedAt.rawValue, FamilyField.dpopThumbprint.rawValue)
                    #expect(written == .array([.bulkString(Array(String(next).utf8)), .bulkString(Array(String(now).utf8)),
                                               item.binding.map { .bulkString(Array($0.utf8)) } ?? .null]), "\(item)")
                case .deleted:
                    #expect(try await redis.send("EXISTS", familyKey) == .integer(0), "\(item)")
                }
                let remembered = try await redis.send("GET", jtiKey)
                if item.replayed {
                    #expect(remembered == .bulkString(Array("seen-before".utf8)), "\(item)")  // untouched
                } else if effects.remembersProof {
                    #expect(remembered == .bulkString(Array("1".utf8)), "\(item)")
                    let ttl = try await redis.send("PTTL", jtiKey).int ?? -3
                    #expect(ttl > 0 && ttl <= Self.window, "\(item)")
                } else {
                    #expect(remembered == .null, "\(item)")
                }
            }
            // The grid reaches every outcome the script can answer.
            let reachable = Set(RefreshOutcomeLabel.allCases.map(\.rawValue)).subtracting([RefreshOutcomeLabel.invalid.rawValue])
            #expect(seen == reachable)
        }
    }
}
