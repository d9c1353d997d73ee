import BatonRedis

private typealias F = FamilyField

/// The handoff script: `HandoffDecision`'s table, applied atomically in Redis, when a cookie-mode
/// session's page exchanges its handoff code.
///
/// KEYS[1] the family, KEYS[2] the shard's revocation times (`KeySchema.revocations`).
/// ARGV: client id, now (ms), idle timeout (ms), the thumbprint (`jkt`) of the request's verified
/// DPoP proof (empty: none).
/// Replies `{delivered, sub, scope, auth_time, claims, expires_at, jkt}` (`jkt` false when unbound)
/// or `{reason}` (a `HandoffDecision.Reason`). Delivering clears the handoff deadline (the code is
/// spent) and starts the idle timeout; a refusal that revokes deletes the family.
let handoffScript = RedisScript("""
    local f = redis.call('HMGET', KEYS[1], \(F.clientID.lua), \(F.createdAt.lua), \(F.expiresAt.lua), \
    \(F.subject.lua), \(F.scope.lua), \(F.authTime.lua), \(F.claims.lua), \(F.dpopThumbprint.lua), \
    \(F.handoffDeadline.lua))
    if not f[1] then return {'unknown_family'} end
    if f[1] ~= ARGV[1] then return {'wrong_client'} end
    local now = tonumber(ARGV[2])
    local revoked = redis.call('HGET', KEYS[2], f[4])
    if revoked and tonumber(f[2]) <= tonumber(revoked) then
        redis.call('DEL', KEYS[1])
        return {'revoked'}
    end
    local expires = tonumber(f[3])
    if now >= expires then
        redis.call('DEL', KEYS[1])
        return {'expired'}
    end
    if f[8] then
        if ARGV[4] == '' then return {'dpop_required'} end
        if ARGV[4] ~= f[8] then return {'dpop_key_mismatch'} end
    end
    if not f[9] then
        redis.call('DEL', KEYS[1])
        return {'handoff_used'}
    end
    if now > tonumber(f[9]) then
        redis.call('DEL', KEYS[1])
        return {'handoff_late'}
    end
    redis.call('HDEL', KEYS[1], \(F.handoffDeadline.lua))
    redis.call('PEXPIRE', KEYS[1], math.min(tonumber(ARGV[3]), expires - now))
    return {'delivered', f[4], f[5], f[6], f[7], f[3], f[8]}
    """)
