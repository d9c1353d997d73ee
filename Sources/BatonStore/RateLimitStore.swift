import BatonRedis

/// Fixed-window request counters shared by every worker through Redis.
public struct RateLimitStore: Sendable {
    private let redis: RedisClient

    /// Creates the store on a Redis client.
    public init(redis: RedisClient) {
        self.redis = redis
    }

    /// Counts one request against each `(key, limit)` for the current window of `windowMilliseconds`;
    /// returns nil if every limit holds, else how many milliseconds until the fullest window ends.
    public func hit(_ counters: [(key: String, limit: Int)], windowMilliseconds: Int64) async throws -> Int64? {
        guard !counters.isEmpty else { return nil }
        let reply = try await redis.evaluate(rateLimitScript, keys: counters.map { KeySchema.rateLimit($0.key) },
                                             arguments: [String(windowMilliseconds)] + counters.map { String($0.limit) })
        guard let wait = reply.int else { throw RedisError(.unexpectedReply, "rate limit script answered \(reply)") }
        return wait > 0 ? wait : nil
    }
}

/// KEYS: counters. ARGV: window (ms), then one limit per counter. Returns 0, or the ms until the
/// window of a counter over its limit ends.
private let rateLimitScript = RedisScript("""
    local wait = 0
    for i, key in ipairs(KEYS) do
        local count = redis.call('INCR', key)
        if count == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
        if count > tonumber(ARGV[i + 1]) then
            local ttl = redis.call('PTTL', key)
            if ttl < 0 then ttl = tonumber(ARGV[1]) end
            if ttl > wait then wait = ttl end
        end
    end
    return wait
    """)
