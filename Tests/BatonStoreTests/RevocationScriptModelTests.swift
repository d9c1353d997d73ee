import BatonCore
import BatonRedis
import Testing
@testable import BatonStore

/// The revocation script must decide exactly as `RevocationResult.decide`, the pure model, over a
/// grid of families (missing, unbound, DPoP-bound), revokers (an administrator, the owning client,
/// another client) and what they proved of the key; and it must delete the family on `.revoked`
/// and write nothing otherwise.
@Suite struct RevocationScriptModelTests {
    private struct Case: CustomStringConvertible {
        var missing: Bool
        var binding: String?
        var client: String?
        var proof: RevocationProof
        var description: String {
            "missing \(missing) binding \(String(describing: binding)) client \(String(describing: client)) proof \(proof)"
        }
    }

    private static var grid: [Case] {
        var cases: [Case] = []
        for missing in [false, true] {
            for binding: String? in [nil, "key-A"] {
                for client: String? in [nil, "app", "other"] {
                    for proof: RevocationProof in [.notRequired, .presented(thumbprint: nil), .presented(thumbprint: "key-A"),
                                                   .presented(thumbprint: "key-B")] {
                        cases.append(Case(missing: missing, binding: binding, client: client, proof: proof))
                    }
                }
            }
        }
        return cases
    }

    @Test func scriptAgreesWithTheModel() async throws {
        try await withStore { store, redis in
            let now = FamilyStoreTests.now
            var seen: Set<RevocationResult> = []
            for item in Self.grid {
                let session = FamilyStoreTests.session()
                let familyKey = KeySchema.family(session)
                let record = FamilyRecord(generation: 2, rotatedAt: now, clientID: "app", createdAt: now - 1_000,
                                          expiresAt: now + 60_000, scope: "read", dpopThumbprint: item.binding)
                if !item.missing {
                    var write = RedisCommand("HSET", familyKey, FamilyField.generation.rawValue, "2", FamilyField.clientID.rawValue, "app",
                                             FamilyField.subject.rawValue, "model")
                    if let binding = item.binding {
                        write.append(FamilyField.dpopThumbprint.rawValue)
                        write.append(binding)
                    }
                    _ = try await redis.send(write)
                }
                let before = try await redis.send("HGETALL", familyKey)

                let expected = RevocationResult.decide(family: item.missing ? nil : record, clientID: item.client, proof: item.proof)
                let actual = try await store.revoke(session, clientID: item.client, proof: item.proof)
                #expect(actual == expected, "\(item)")
                seen.insert(expected)
                if expected == .revoked {
                    #expect(try await redis.send("EXISTS", familyKey) == .integer(0), "\(item)")
                } else {
                    #expect(try await redis.send("HGETALL", familyKey) == before, "\(item)")
                }
            }
            #expect(seen == Set(RevocationResult.allCases))
        }
    }
}
