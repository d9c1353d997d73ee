import BatonRedis
import BatonStore

extension RedisFamilyStore: FamilyStore {}
extension RedisKeysetStore: KeysetStore {}
extension RedisClientStore: ClientStore {}
extension RedisRateLimitStore: RateLimitStore {}
extension RedisControlChannel: ControlChannel {}
extension RedisHealthCheck: StoreHealth {}

extension Stores {
    /// Every store on one Redis (standalone, or any topology `RedisClient` speaks).
    public static func redis(_ redis: RedisClient) -> Stores {
        Stores(families: RedisFamilyStore(redis: redis), keyset: RedisKeysetStore(redis: redis),
               clients: RedisClientStore(redis: redis), rateLimits: RedisRateLimitStore(redis: redis),
               control: RedisControlChannel(redis: redis), health: RedisHealthCheck(redis: redis))
    }
}
