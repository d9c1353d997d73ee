import BatonRedis

/// KEYS: keyset, version. ARGV: kid, record JSON, control channel.
let addFirstKeyScript = RedisScript("""
    if redis.call('HLEN', KEYS[1]) > 0 then return 0 end
    redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
    local version = redis.call('INCR', KEYS[2])
    redis.call('PUBLISH', ARGV[3], 'keys ' .. version)
    return 1
    """)

/// KEYS: keyset, version. ARGV: control channel, expected version, number of removals, the
/// removed kids, then kid and record JSON pairs. Returns the new version, or -1 on a conflict.
let applyChangeScript = RedisScript("""
    if tonumber(redis.call('GET', KEYS[2]) or '0') ~= tonumber(ARGV[2]) then return -1 end
    local removals = tonumber(ARGV[3])
    for i = 4, 3 + removals do redis.call('HDEL', KEYS[1], ARGV[i]) end
    for i = 4 + removals, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
    local version = redis.call('INCR', KEYS[2])
    redis.call('PUBLISH', ARGV[1], 'keys ' .. version)
    return version
    """)

/// KEYS: the lock. ARGV: the owner's token. Deletes the lock only if the token still holds it.
let releaseLockScript = RedisScript("""
    if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
    return 0
    """)
