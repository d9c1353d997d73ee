import BatonRedis
import Foundation

/// Whether the refresh rate holds as Redis fills: two `baton cluster`s side by side, one whose
/// Redis holds 10,000 live families and one holding `large` (1,000,000 by default), run in turn
/// under the same refresh load so that the machine's swings hit both alike; and Redis memory per
/// family from the large preload. The families are made by Baton's own session-creation script
/// (`BenchFamilies`), one user each, alive for a year. Each run starts once neither Redis is
/// rewriting its AOF (a preload of a million families sets off rewrites that would otherwise
/// land in a run).
struct FamilyScale: Encodable {
    let small: Int
    let large: Int
    let smallRuns: [LoadRun]
    let largeRuns: [LoadRun]
    /// Redis `used_memory` per family added by the large preload.
    let bytesPerFamily: Double
    /// Seconds the large preload took.
    let preloadSeconds: Double
    /// The large run's rate over the small one's, the median over the pairs.
    let ratio: Double

    enum CodingKeys: String, CodingKey {
        case small = "families_small", large = "families_large", smallRuns = "runs_small", largeRuns = "runs_large"
        case bytesPerFamily = "redis_bytes_per_family", preloadSeconds = "preload_s", ratio = "rate_ratio_large_to_small"
    }

    /// `runs` pairs of closed-loop refresh runs of `seconds`, small then large (`InterleavedRuns`).
    static func measure(baton: String, load: String, workers: Int, small: Int = 10_000, large: Int, runs: Int, seconds: Int,
                        arguments: [String], directory: String) async throws -> FamilyScale {
        var clusters: [BenchCluster] = []
        do {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            var memory = (before: 0, after: 0)
            var preload = Duration.zero
            for count in [small, large] {
                let cluster = try await BenchCluster.start(baton: baton, workers: workers, directory: directory + "/families-\(count)")
                clusters.append(cluster)
                print("preloading \(count) families…")
                let redis = try await cluster.redis()
                do {
                    let before = try await RedisMemory.usedBytes(redis)
                    let started = ContinuousClock.now
                    try await BenchFamilies.prepare(0..<count, now: now, redis: redis)
                    if count == large {
                        preload = ContinuousClock.now - started
                        memory = (before, try await RedisMemory.usedBytes(redis))
                    }
                    await redis.shutdown()
                } catch {
                    await redis.shutdown()
                    throw error
                }
            }
            let results = try await InterleavedRuns(load: load, arguments: arguments, directory: directory).run(
                on: clusters, names: ["families-\(small)", "families-\(large)"], rounds: runs, seconds: seconds
            ) {
                for cluster in clusters { try await waitUntilNotRewriting(cluster) }
            }
            await BenchCluster.stop(clusters)
            return FamilyScale(small: small, large: large, smallRuns: results[0], largeRuns: results[1],
                               bytesPerFamily: Double(memory.after - memory.before) / Double(large),
                               preloadSeconds: Double(preload.components.seconds) + Double(preload.components.attoseconds) / 1e18,
                               ratio: BenchReport.medianRatio(results[1], to: results[0], \.throughput))
        } catch {
            await BenchCluster.stop(clusters)
            throw error
        }
    }

    /// Waits (up to two minutes) until the cluster's Redis has no AOF rewrite running or scheduled.
    private static func waitUntilNotRewriting(_ cluster: BenchCluster) async throws {
        let redis = try await cluster.redis()
        defer { Task { await redis.shutdown() } }
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let info = try await redis.send("INFO", "persistence").string ?? ""
            if info.contains("aof_rewrite_in_progress:0"), info.contains("aof_rewrite_scheduled:0") { return }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
