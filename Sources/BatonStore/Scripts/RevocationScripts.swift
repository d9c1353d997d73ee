import BatonRedis

/// Revokes one family (RFC 7009, or an administrator).
///
/// KEYS[1] the family, KEYS[2] the shard's user-key prefix. ARGV: family id, client id (empty:
/// any client may be named, for administrators). Returns 'revoked', 'unknown' or 'wrong_client'.
let revokeFamilyScript = RedisScript("""
    local f = redis.call('HMGET', KEYS[1], 'c', 's')
    if not f[1] then return 'unknown' end
    if ARGV[2] ~= '' and f[1] ~= ARGV[2] then return 'wrong_client' end
    redis.call('DEL', KEYS[1])
    redis.call('HDEL', KEYS[2] .. f[2], 'f:' .. ARGV[1])
    return 'revoked'
    """)

/// Logs a user out everywhere in O(1): records the revocation time, which every refresh checks.
///
/// KEYS[1] the user. ARGV: now (ms), how long the record must last at least (ms: the longest
/// absolute lifetime a family can have). Returns the family ids that were indexed, so the caller
/// can free their records early (they are dead already).
let revokeUserScript = RedisScript("""
    local previous = tonumber(redis.call('HGET', KEYS[1], 'rv') or '-1')
    redis.call('HSET', KEYS[1], 'rv', string.format('%.0f', math.max(previous, tonumber(ARGV[1]))))
    local families = {}
    local index = redis.call('HGETALL', KEYS[1])
    for i = 1, #index, 2 do
        if string.sub(index[i], 1, 2) == 'f:' then
            table.insert(families, string.sub(index[i], 3))
            redis.call('HDEL', KEYS[1], index[i])
        end
    end
    if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
    end
    return families
    """)

/// Whether a family is alive: it exists and was created after the user's revocation time.
///
/// KEYS[1] the family, KEYS[2] the shard's user-key prefix. Returns
/// `{generation, client, sub, scope, created, expires}` or an empty array.
let familyStateScript = RedisScript("""
    local f = redis.call('HMGET', KEYS[1], 'g', 'c', 's', 'sc', 't', 'x')
    if not f[1] then return {} end
    local revoked = redis.call('HGET', KEYS[2] .. f[3], 'rv')
    if revoked and tonumber(f[5]) <= tonumber(revoked) then return {} end
    return f
    """)
