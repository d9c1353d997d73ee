import BatonRedis

/// The rotation script: the decision table of `FamilyDecision`, applied atomically in Redis.
///
/// KEYS[1] the family, KEYS[2] the shard's user-key prefix (the user key is the prefix plus the
/// family's subject: same hash tag, same slot).
/// ARGV: presented generation, client id, now (ms), grace (ms), idle timeout (ms), family id,
/// requested scope (space-delimited; empty: the session's own).
/// Returns `{decision, generation, sub, scope, auth_time, claims, expires_at}` for rotate,
/// fast_forward and grace; `{'reuse', current, sub}`; or `{'reject', reason}`.
let refreshScript = RedisScript("""
    local f = redis.call('HMGET', KEYS[1], 'g', 'r', 'c', 't', 'x', 's', 'sc', 'a', 'cl')
    if not f[1] then return {'reject', 'unknown_family'} end
    if f[3] ~= ARGV[2] then return {'reject', 'wrong_client'} end
    local now = tonumber(ARGV[3])
    local user = KEYS[2] .. f[6]
    local revoked = redis.call('HGET', user, 'rv')
    if revoked and tonumber(f[4]) <= tonumber(revoked) then
        redis.call('DEL', KEYS[1])
        redis.call('HDEL', user, 'f:' .. ARGV[6])
        return {'reject', 'user_revoked'}
    end
    local expires = tonumber(f[5])
    if now >= expires then
        redis.call('DEL', KEYS[1])
        redis.call('HDEL', user, 'f:' .. ARGV[6])
        return {'reject', 'expired'}
    end
    local current = tonumber(f[1])
    local presented = tonumber(ARGV[1])
    local grace = tonumber(ARGV[4])
    local in_grace = presented == current - 1 and grace > 0 and now - tonumber(f[2]) <= grace
    if presented < current and not in_grace then
        redis.call('DEL', KEYS[1])
        redis.call('HDEL', user, 'f:' .. ARGV[6])
        return {'reuse', current, f[6]}
    end
    if ARGV[7] ~= '' then
        local granted = {}
        for token in string.gmatch(f[7], '%S+') do granted[token] = true end
        for token in string.gmatch(ARGV[7], '%S+') do
            if not granted[token] then return {'reject', 'scope_exceeded'} end
        end
    end
    if presented >= current then
        local successor = presented + 1
        redis.call('HSET', KEYS[1], 'g', string.format('%.0f', successor), 'r', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], math.min(tonumber(ARGV[5]), expires - now))
        local decision = 'rotate'
        if presented > current then decision = 'fast_forward' end
        return {decision, successor, f[6], f[7], f[8], f[9], f[5]}
    end
    return {'grace', current, f[6], f[7], f[8], f[9], f[5]}
    """)

extension FamilyStore {
    /// The rotation script's Lua source, for tools that run Baton's own script outside the store
    /// (`baton-bench limits` measures its cost inside Redis with `redis-benchmark`).
    public static var refreshScriptSource: String { refreshScript.source }
}
