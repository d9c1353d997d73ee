import BatonRedis
import BatonStore

extension RedisFamilyStore: FamilyStore {}
extension RedisKeysetStore: KeysetStore {}
extension RedisClientStore: ClientStore {}
extension RedisRateLimitStore: RateLimitStore {}
extension RedisControlChannel: ControlChannel {}
extension RedisHealthCheck: StoreHealth {}

extension Stores {
    /// Every store on one Redis deployment (standalone, Cluster or Sentinel). With `replicaWait`,
    /// family writes wait for replicas and `onShortfall` counts those fewer acknowledged.
    public static func redis(_ redis: any RedisDeployment, replicaWait: ReplicaWait? = nil,
                             onShortfall: @escaping @Sendable () -> Void = {}) -> Stores {
        let writes = ReplicatedWrites(wait: replicaWait, onShortfall: onShortfall)
        return Stores(families: RedisFamilyStore(redis: redis, writes: writes), keyset: RedisKeysetStore(redis: redis),
               clients: RedisClientStore(redis: redis), rateLimits: RedisRateLimitStore(redis: redis),
               control: RedisControlChannel(redis: redis), health: RedisHealthCheck(redis: redis))
    }
}
