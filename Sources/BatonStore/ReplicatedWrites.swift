import BatonRedis

/// How the family writes a failover must not lose (a rotation, a session's creation, a
/// revocation, a logout everywhere) are sent: alone, or with `WAIT` for `wait.replicas` replicas
/// pipelined behind each (`--redis-wait-replicas`), counting replies that came with fewer.
///
/// ```swift
/// let writes = ReplicatedWrites(wait: ReplicaWait(replicas: 1, timeout: .milliseconds(50))) { metrics.replicaShortfall() }
/// let store = RedisFamilyStore(redis: redis, writes: writes)
/// ```
public struct ReplicatedWrites: Sendable {
    /// The wait behind each write, or nil for none.
    public var wait: ReplicaWait?
    private let onShortfall: @Sendable () -> Void

    /// Writes that wait for replicas as `wait` says, calling `onShortfall` for each reply that
    /// fewer replicas acknowledged.
    public init(wait: ReplicaWait?, onShortfall: @escaping @Sendable () -> Void = {}) {
        self.wait = wait
        self.onShortfall = onShortfall
    }

    /// Writes that do not wait (the default: Redis replication is asynchronous).
    public static let unacknowledged = ReplicatedWrites(wait: nil)

    /// Runs the write script, and the wait behind it when there is one.
    func evaluate(_ script: RedisScript, on redis: any RedisDeployment, keys: [String], arguments: [String]) async throws
        -> RedisValue {
        guard let wait, wait.replicas > 0 else { return try await redis.evaluate(script, keys: keys, arguments: arguments) }
        let reply = try await redis.evaluate(script, keys: keys, arguments: arguments, waitingFor: wait)
        if reply.replicasAcknowledged < wait.replicas { onShortfall() }
        return reply.value
    }
}
