import BatonRedis

private typealias F = FamilyField

/// The rotation script: the decision table of `FamilyDecision`, applied atomically in Redis.
///
/// KEYS[1] the family, KEYS[2] the shard's revocation times (`KeySchema.revocations`), and, only
/// when the refresh carries a DPoP proof, KEYS[3] the proof's `jti` key (`KeySchema.dpopJWTID`).
/// ARGV: presented generation, client id, now (ms), grace (ms), idle timeout (ms), requested scope
/// (space-delimited; empty: the session's own), and with a proof: its key thumbprint (`jkt`) and
/// how long its `jti` is remembered (ms).
/// Replies start with a `RefreshOutcomeLabel`: `{rotated|fast_forward|grace, generation, sub,
/// scope, auth_time, claims, expires_at}`, `{reuse_detected, current, sub}`, or `{reason}` for a
/// refusal (`unknown_family`, `wrong_client`, `revoked`, `expired`, `dpop_required`,
/// `dpop_key_mismatch`, `dpop_replay`, `scope_exceeded`). A family that can never refresh again is
/// deleted; its index entry goes when the user's sessions are listed or a later session of the
/// user is created.
///
/// DPoP (RFC 9449): once the family is known to be alive, a bound family (field
/// `FamilyField.dpopThumbprint`) needs a proof for its key, and a proof's `jti` is set with
/// `SET NX PX`: if it was already there the refresh is a replay. The three refusals write nothing;
/// a `jti` that gets past them stays remembered whatever follows.
let refreshScript = RedisScript("""
    local f = redis.call('HMGET', KEYS[1], \(F.generation.lua), \(F.rotatedAt.lua), \(F.clientID.lua), \
    \(F.createdAt.lua), \(F.expiresAt.lua), \(F.subject.lua), \(F.scope.lua), \(F.authTime.lua), \(F.claims.lua), \
    \(F.dpopThumbprint.lua))
    if not f[1] then return {'unknown_family'} end
    if f[3] ~= ARGV[2] then return {'wrong_client'} end
    local now = tonumber(ARGV[3])
    local revoked = redis.call('HGET', KEYS[2], f[6])
    if revoked and tonumber(f[4]) <= tonumber(revoked) then
        redis.call('DEL', KEYS[1])
        return {'revoked'}
    end
    local expires = tonumber(f[5])
    if now >= expires then
        redis.call('DEL', KEYS[1])
        return {'expired'}
    end
    if f[10] then
        if not KEYS[3] then return {'dpop_required'} end
        if ARGV[7] ~= f[10] then return {'dpop_key_mismatch'} end
    end
    if KEYS[3] and not redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[8]) then return {'dpop_replay'} end
    local current = tonumber(f[1])
    local presented = tonumber(ARGV[1])
    local grace = tonumber(ARGV[4])
    local in_grace = presented == current - 1 and grace > 0 and now - tonumber(f[2]) <= grace
    if presented < current and not in_grace then
        redis.call('DEL', KEYS[1])
        return {'reuse_detected', current, f[6]}
    end
    if ARGV[6] ~= '' then
        local granted = {}
        for token in string.gmatch(f[7], '%S+') do granted[token] = true end
        for token in string.gmatch(ARGV[6], '%S+') do
            if not granted[token] then return {'scope_exceeded'} end
        end
    end
    if presented >= current then
        local successor = presented + 1
        redis.call('HSET', KEYS[1], \(F.generation.lua), string.format('%.0f', successor), \(F.rotatedAt.lua), ARGV[3])
        redis.call('PEXPIRE', KEYS[1], math.min(tonumber(ARGV[5]), expires - now))
        local label = 'rotated'
        if presented > current then label = 'fast_forward' end
        return {label, successor, f[6], f[7], f[8], f[9], f[5]}
    end
    return {'grace', current, f[6], f[7], f[8], f[9], f[5]}
    """)

extension RedisFamilyStore {
    /// The rotation script's Lua source, for tools that run Baton's own script outside the store
    /// (`baton-bench limits` measures its cost inside Redis with `redis-benchmark`).
    public static var refreshScriptSource: String { refreshScript.source }
}
