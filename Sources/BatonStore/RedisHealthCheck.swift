import BatonRedis

/// Whether the Redis deployment serves (every primary answers `PING`), for `/readyz`.
public struct RedisHealthCheck: Sendable {
    private let redis: any RedisDeployment

    /// Creates the check on a Redis deployment.
    public init(redis: any RedisDeployment) {
        self.redis = redis
    }

    /// True when every primary answered `PONG`.
    public func isReachable() async -> Bool {
        await redis.isReachable()
    }
}
