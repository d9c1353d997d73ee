import Foundation

/// Whether the refresh rate holds as Redis fills: closed-loop refresh runs with 10,000 live
/// families preloaded and then with `large` (1,000,000 by default), and Redis memory per family
/// from the second preload. The families are made by Baton's own session-creation script
/// (`BenchFamilies`), one user each, alive for a year.
struct FamilyScale: Encodable {
    let small: Int
    let large: Int
    let smallRun: LoadRun
    let largeRun: LoadRun
    /// Redis `used_memory` per family added by the second preload.
    let bytesPerFamily: Double
    /// Seconds the second preload took.
    let preloadSeconds: Double
    /// The large run's rate over the small one's.
    let ratio: Double

    enum CodingKeys: String, CodingKey {
        case small = "families_small", large = "families_large", smallRun = "run_small", largeRun = "run_large"
        case bytesPerFamily = "redis_bytes_per_family", preloadSeconds = "preload_s", ratio = "rate_ratio_large_to_small"
    }

    /// Preloads `small` families into the cluster's Redis, runs `run`, preloads up to `large`,
    /// runs it again.
    static func measure(_ cluster: BenchCluster, small: Int = 10_000, large: Int,
                        run: (String) async throws -> LoadRun) async throws -> FamilyScale {
        let redis = try await cluster.redis()
        do {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            print("preloading \(small) families…")
            try await BenchFamilies.prepare(0..<small, now: now, redis: redis)
            let smallRun = try await run("families-\(small)")
            let before = try await RedisMemory.usedBytes(redis)
            print("preloading up to \(large) families…")
            let started = ContinuousClock.now
            try await BenchFamilies.prepare(small..<large, now: now, redis: redis)
            let preload = ContinuousClock.now - started
            let after = try await RedisMemory.usedBytes(redis)
            let largeRun = try await run("families-\(large)")
            await redis.shutdown()
            return FamilyScale(small: small, large: large, smallRun: smallRun, largeRun: largeRun,
                               bytesPerFamily: Double(after - before) / Double(large - small),
                               preloadSeconds: Double(preload.components.seconds) + Double(preload.components.attoseconds) / 1e18,
                               ratio: largeRun.throughput / smallRun.throughput)
        } catch {
            await redis.shutdown()
            throw error
        }
    }
}
