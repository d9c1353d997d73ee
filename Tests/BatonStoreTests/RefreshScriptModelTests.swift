import BatonCore
import BatonRedis
import Testing
@testable import BatonStore

/// The rotation script must decide exactly as `FamilyDecision.decide`, the pure model, over a
/// grid of states: generations, grace windows, clients, revocations and lifetimes.
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
        var description: String {
            "current \(current) presented \(presented) rotatedAgo \(rotatedAgo) grace \(grace) client \(client) revoked \(String(describing: revokedOffset)) remaining \(remaining) requested \(String(describing: requested))"
        }
    }

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
        return cases
    }

    @Test func scriptAgreesWithTheModel() async throws {
        try await withStore { store, redis in
            let now = FamilyStoreTests.now
            let created = now - 100_000
            for item in Self.grid {
                let session = FamilyStoreTests.session()
                let record = FamilyRecord(generation: item.current, rotatedAt: now - item.rotatedAgo, clientID: "app",
                                          createdAt: created, expiresAt: now + item.remaining, scope: "read write")
                let requested = try item.requested.map { try Scope(parsing: $0) }
                let fields: [FamilyField: String] = [
                    .generation: String(record.generation), .rotatedAt: String(record.rotatedAt), .clientID: "app",
                    .createdAt: String(created), .expiresAt: String(record.expiresAt), .subject: "model",
                    .scope: record.scope, .authTime: "0", .claims: "",
                ]
                var write = RedisCommand("HSET", KeySchema.family(session))
                for field in FamilyField.allCases {
                    write.append(field.rawValue)
                    write.append(fields[field]!)
                }
                _ = try await redis.send(write)
                let revocations = KeySchema.revocations(shard: session.shard)
                _ = try await redis.send("DEL", revocations)
                if let offset = item.revokedOffset {
                    _ = try await redis.send("HSET", revocations, "model", String(created + offset))
                }
                let expected = FamilyDecision.decide(
                    family: record, presented: item.presented, clientID: item.client, requestedScope: requested,
                    userRevokedAt: item.revokedOffset.map { created + $0 }, now: now, graceMilliseconds: item.grace)
                let actual = try await store.refresh(session, presented: item.presented, clientID: item.client,
                                                     requestedScope: requested, now: now,
                                                     graceMilliseconds: item.grace, idleMilliseconds: 60_000).decision
                #expect(actual == expected, "\(item)")
                if case .reject(.scopeExceeded) = expected {
                    // Refused before anything was written.
                    #expect(try await redis.send("HGET", KeySchema.family(session), FamilyField.generation.rawValue) == .bulkString(Array(String(item.current).utf8)))
                }
            }
        }
    }
}
