import ArgumentParser
import BatonCore
import BatonRedis
import BatonStore
import Foundation

/// The families the limit benchmarks rotate: created as Baton's own CreateFamilyScript does, one
/// user each, with a far-away end and a long idle timeout, and called through
/// `RefreshFunctionLibrary` so every call takes the rotate path.
enum BenchFamilies {
    /// The shard of every benchmark family (one redis-server: the hash tag only shapes the key).
    static let shard = Array("0a1b2c3d".utf8)
    /// The client every benchmark family belongs to.
    static let clientID = "bench-client"
    /// Ten characters that, with a 12-digit number, make a 22-character family id.
    static let familyIDPrefix = "bt-bench--"
    private static let day: Int64 = 86_400_000

    /// Family `index`'s session: a fixed shard and a family id ending in 12 digits (what
    /// `redis-benchmark` writes for `__rand_int__`, and what baton-floor writes).
    static func session(_ index: Int) -> SessionID {
        SessionID(shard: shard, familyID: Array((familyIDPrefix + String(format: "%012d", index)).utf8))
    }

    static func familyKey(_ index: Int) -> String {
        KeySchema.family(session(index))
    }

    /// A family's key up to its 12 digits.
    static var familyKeyPrefix: String {
        KeySchema.family(SessionID(shard: shard, familyID: Array(familyIDPrefix.utf8)))
    }

    /// The shard's revocation times, the rotation script's second key.
    static var revocationsKey: String {
        KeySchema.revocations(shard: shard)
    }

    /// The FCALL arguments; ARGV[1] (presented generation) is a placeholder the function fills in.
    static func arguments(now: Int64, familyKey: String) -> [String] {
        [
            RefreshFunctionLibrary.functionName, "2", familyKey, revocationsKey,
            "0", clientID, String(now), "10000", String(30 * day), "",
        ]
    }

    /// Loads `RefreshFunctionLibrary` and creates `count` families.
    static func prepare(_ count: Int, now: Int64, redis: RedisClient) async throws {
        try await prepare(0..<count, now: now, redis: redis)
    }

    /// Loads `RefreshFunctionLibrary` and creates the families numbered `indices`, 256 at a time.
    static func prepare(_ indices: Range<Int>, now: Int64, redis: RedisClient) async throws {
        _ = try await redis.send("FUNCTION", "LOAD", "REPLACE", RefreshFunctionLibrary.source)
        let store = RedisFamilyStore(redis: redis)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in indices {
                if index - indices.lowerBound >= 256 { try await group.next() }
                group.addTask {
                    _ = try await store.create(
                        NewFamily(session: session(index), clientID: clientID, subject: "bench-user-\(index)",
                                  scope: "read write", authTime: now / 1000, claims: "",
                                  expiresAt: now + 365 * day, idleTimeoutMilliseconds: 30 * day),
                        now: now)
                }
            }
            try await group.waitForAll()
        }
    }

    /// The sum of the families' generations: how many rotations they have been through.
    static func sumOfGenerations(_ count: Int, redis: RedisClient) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            var sum = 0
            for index in 0..<count {
                if index >= 256, let generation = try await group.next() { sum += generation }
                group.addTask {
                    let reply = try await redis.send("HGET", familyKey(index), FamilyField.generation.rawValue)
                    guard let generation = reply.int else { throw ValidationError("family \(index) has no generation: \(reply)") }
                    return Int(generation)
                }
            }
            for try await generation in group { sum += generation }
            return sum
        }
    }
}
