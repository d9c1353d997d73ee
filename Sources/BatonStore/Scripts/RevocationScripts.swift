import BatonRedis

private typealias F = FamilyField

/// Revokes one family (RFC 7009, or an administrator): `RevocationResult.decide`, atomically.
///
/// KEYS[1] the family. ARGV: client id (empty: any client may be named, for administrators),
/// '1' when the revoker must prove a DPoP-bound family's key (a public client) or empty, and the
/// thumbprint (`jkt`) of the request's verified DPoP proof (empty: none). A bound family (field
/// `FamilyField.dpopThumbprint`) is then revoked only when the thumbprints are equal.
/// Returns 'revoked', 'unknown', 'wrong_client', 'dpop_required' or 'dpop_key_mismatch'; only
/// 'revoked' writes anything.
let revokeFamilyScript = RedisScript("""
    local f = redis.call('HMGET', KEYS[1], \(F.clientID.lua), \(F.dpopThumbprint.lua))
    if not f[1] then return 'unknown' end
    if ARGV[1] ~= '' and f[1] ~= ARGV[1] then return 'wrong_client' end
    if f[2] and ARGV[2] == '1' then
        if ARGV[3] == '' then return 'dpop_required' end
        if ARGV[3] ~= f[2] then return 'dpop_key_mismatch' end
    end
    redis.call('DEL', KEYS[1])
    return 'revoked'
    """)

/// Logs a user out everywhere in O(1): records the revocation time, which every refresh checks.
///
/// KEYS[1] the user's session index, KEYS[2] the shard's revocation times. ARGV: subject, now
/// (ms), how long the record must last at least (ms: the longest absolute lifetime a family can
/// have). Revocation times older than that are dropped on the way. Returns the family ids that
/// were indexed, so the caller can free their records early (they are dead already).
let revokeUserScript = RedisScript("""
    local now = tonumber(ARGV[2])
    local retention = tonumber(ARGV[3])
    local previous = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '-1')
    local times = redis.call('HGETALL', KEYS[2])
    for i = 1, #times, 2 do
        if tonumber(times[i + 1]) < now - retention then redis.call('HDEL', KEYS[2], times[i]) end
    end
    redis.call('HSET', KEYS[2], ARGV[1], string.format('%.0f', math.max(previous, now)))
    if redis.call('PTTL', KEYS[2]) < retention then redis.call('PEXPIRE', KEYS[2], retention) end
    local families = redis.call('HKEYS', KEYS[1])
    redis.call('DEL', KEYS[1])
    return families
    """)

/// Whether a family is alive: it exists and was created after the user's revocation time.
///
/// KEYS[1] the family, KEYS[2] the shard's revocation times. Returns
/// `{generation, client, sub, scope, created, expires, jkt}` (`jkt` nil when the family is not
/// DPoP-bound) or an empty array.
let familyStateScript = RedisScript("""
    local f = redis.call('HMGET', KEYS[1], \(F.generation.lua), \(F.clientID.lua), \(F.subject.lua), \
    \(F.scope.lua), \(F.createdAt.lua), \(F.expiresAt.lua), \(F.dpopThumbprint.lua))
    if not f[1] then return {} end
    local revoked = redis.call('HGET', KEYS[2], f[3])
    if revoked and tonumber(f[5]) <= tonumber(revoked) then return {} end
    return f
    """)
