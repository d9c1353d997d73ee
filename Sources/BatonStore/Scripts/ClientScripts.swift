import BatonRedis

/// KEYS: clients, version. ARGV: add|update|remove, id, JSON, control channel.
/// Every change bumps the version and tells the workers which client to forget.
let writeClientScript = RedisScript("""
    local exists = redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1
    if ARGV[1] == 'add' and exists then return 0 end
    if ARGV[1] ~= 'add' and not exists then return 0 end
    if ARGV[1] == 'remove' then redis.call('HDEL', KEYS[1], ARGV[2]) else redis.call('HSET', KEYS[1], ARGV[2], ARGV[3]) end
    redis.call('INCR', KEYS[2])
    redis.call('PUBLISH', ARGV[4], 'client ' .. ARGV[2])
    return 1
    """)
