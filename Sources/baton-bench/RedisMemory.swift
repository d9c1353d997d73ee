import BatonRedis
import BatonLocalServers

/// Redis's memory next to the number of live families, to report the memory a family costs.
struct RedisMemory: Sendable {
    /// `used_memory` from `INFO memory`, bytes.
    let usedBytes: Int
    /// Family hashes (`bt:{shard}:fam:*`).
    let families: Int

    static func read(_ cluster: BenchCluster) async throws -> RedisMemory {
        let redis = try await cluster.redis()
        do {
            let memory = try await read(redis)
            await redis.shutdown()
            return memory
        } catch {
            await redis.shutdown()
            throw error
        }
    }

    /// `used_memory` from `INFO memory`.
    static func usedBytes(_ redis: RedisClient) async throws -> Int {
        let info = try await redis.send("INFO", "memory").string ?? ""
        return info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("used_memory:") }
            .flatMap { Int($0.dropFirst("used_memory:".count)) } ?? 0
    }

    private static func read(_ redis: RedisClient) async throws -> RedisMemory {
        let used = try await usedBytes(redis)
        var families = 0
        var cursor = "0"
        repeat {
            let reply = try await redis.send("SCAN", cursor, "MATCH", "bt:*:fam:*", "COUNT", "1000")
            guard case .array(let parts) = reply, parts.count == 2, let next = parts[0].string,
                  case .array(let keys) = parts[1] else { throw LocalServerError("unexpected SCAN reply") }
            families += keys.count
            cursor = next
        } while cursor != "0"
        return RedisMemory(usedBytes: used, families: families)
    }

    /// Bytes per family added since `baseline` (nil when no family was added).
    func bytesPerFamily(since baseline: RedisMemory) -> Double? {
        let added = families - baseline.families
        return added > 0 ? Double(usedBytes - baseline.usedBytes) / Double(added) : nil
    }
}
