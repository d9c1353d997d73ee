import BatonRedis

/// KEYS: counters. ARGV: window (ms), then one limit per counter. Returns 0, or the ms until the
/// window of a counter over its limit ends.
let rateLimitScript = RedisScript("""
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
