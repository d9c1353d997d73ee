import BatonRedis

/// Whether Redis answers `PING`, for `/readyz`.
public struct RedisHealthCheck: Sendable {
    private let redis: RedisClient

    /// Creates the check on a Redis client.
    public init(redis: RedisClient) {
        self.redis = redis
    }

    /// True when Redis answered `PONG`.
    public func isReachable() async -> Bool {
        (try? await redis.send("PING")) == .status("PONG")
    }
}
