import BatonRedis

/// Fixed-window request counters shared by every worker through Redis.
public struct RedisRateLimitStore: Sendable {
    private let redis: any RedisDeployment

    /// Creates the store on a Redis deployment.
    public init(redis: any RedisDeployment) {
        self.redis = redis
    }

    /// Counts one request against each `(key, limit)` for the current window of `windowMilliseconds`;
    /// returns nil if every limit holds, else how many milliseconds until the fullest window ends.
    public func hit(_ counters: [(key: String, limit: Int)], windowMilliseconds: Int64) async throws -> Int64? {
        guard !counters.isEmpty else { return nil }
        let reply = try await redis.storeEvaluate(rateLimitScript, keys: counters.map { KeySchema.rateLimit($0.key) },
                                             arguments: [String(windowMilliseconds)] + counters.map { String($0.limit) })
        guard let wait = reply.int else { throw StoreError.unexpected("rate limit script", reply) }
        return wait > 0 ? wait : nil
    }
}
