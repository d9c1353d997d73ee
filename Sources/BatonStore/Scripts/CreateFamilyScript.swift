import BatonRedis

private typealias F = FamilyField

/// Creates a family at generation 0 and indexes it under its user.
///
/// KEYS[1] the family, KEYS[2] the user's session index, KEYS[3] the shard's revocation times.
/// ARGV: family id, now (ms), client id, subject, scope, auth_time (s), claims (JSON members or
/// empty), absolute end (ms), idle timeout (ms), DPoP key thumbprint (`jkt`; empty: unbound).
/// A session created in the same millisecond as a logout-everywhere must outlive it, so the
/// creation time is at least one past the user's revocation time. Index entries past their
/// family's end are dropped once the index holds more than 32. Returns the creation time.
let createFamilyScript = RedisScript("""
    if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('EXISTS family id collision') end
    local now = tonumber(ARGV[2])
    local revoked = tonumber(redis.call('HGET', KEYS[3], ARGV[4]) or '-1')
    local created = math.max(now, revoked + 1)
    local expires = tonumber(ARGV[8])
    local stamp = string.format('%.0f', created)
    redis.call('HSET', KEYS[1], \(F.generation.lua), '0', \(F.rotatedAt.lua), stamp, \(F.clientID.lua), ARGV[3], \
    \(F.createdAt.lua), stamp, \(F.expiresAt.lua), ARGV[8], \(F.subject.lua), ARGV[4], \(F.scope.lua), ARGV[5], \
    \(F.authTime.lua), ARGV[6], \(F.claims.lua), ARGV[7])
    if ARGV[10] ~= '' then redis.call('HSET', KEYS[1], \(F.dpopThumbprint.lua), ARGV[10]) end
    local ttl = math.min(tonumber(ARGV[9]), expires - now)
    if ARGV[11] ~= '' then
        redis.call('HSET', KEYS[1], \(F.handoffDeadline.lua), ARGV[11])
        ttl = math.min(ttl, tonumber(ARGV[11]) - now + 1)
    end
    redis.call('PEXPIRE', KEYS[1], ttl)
    redis.call('HSET', KEYS[2], ARGV[1], ARGV[8])
    if redis.call('HLEN', KEYS[2]) > 32 then
        local index = redis.call('HGETALL', KEYS[2])
        for i = 1, #index, 2 do
            if tonumber(index[i + 1]) <= now then redis.call('HDEL', KEYS[2], index[i]) end
        end
    end
    if redis.call('PTTL', KEYS[2]) < expires - now then
        redis.call('PEXPIRE', KEYS[2], expires - now)
    end
    return created
    """)
