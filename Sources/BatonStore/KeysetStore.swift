import BatonCore
import BatonRedis
import Foundation

/// The signing keyset in Redis: one hash of sealed key records, a version counter, and a
/// broadcast on the control channel whenever it changes.
public struct KeysetStore: Sendable {
    private let redis: RedisClient

    /// Creates the store on a Redis client.
    public init(redis: RedisClient) {
        self.redis = redis
    }

    /// Every record in the keyset (records that do not decode are reported, not thrown).
    public func records() async throws -> (records: [SigningKeyRecord], undecodable: [String]) {
        let reply = try await redis.send("HGETALL", KeySchema.keys)
        guard let fields = reply.array else { throw RedisError(.unexpectedReply, "HGETALL keys answered \(reply)") }
        var records: [SigningKeyRecord] = []
        var undecodable: [String] = []
        let decoder = JSONDecoder()
        for index in stride(from: 0, to: fields.count - 1, by: 2) {
            guard let bytes = fields[index + 1].bytes, let record = try? decoder.decode(SigningKeyRecord.self, from: Data(bytes)) else {
                undecodable.append(fields[index].string ?? "?")
                continue
            }
            records.append(record)
        }
        return (records, undecodable)
    }

    /// Adds `record` only if the keyset is empty (first start of the first worker); returns
    /// whether it was added. Concurrent first starts agree on one key.
    public func addFirst(_ record: SigningKeyRecord) async throws -> Bool {
        let reply = try await redis.evaluate(addFirstKeyScript, keys: [KeySchema.keys, KeySchema.version],
                                             arguments: [record.keyID, try Self.json(record), KeySchema.controlChannel])
        return reply.int == 1
    }

    /// Applies a change only if the version is still `expectedVersion` (no other change came in
    /// between), bumps the version and announces it; returns the new version, or nil on a conflict.
    public func apply(_ change: KeysetPlan.Change, expectedVersion: Int64) async throws -> Int64? {
        var arguments = [KeySchema.controlChannel, String(expectedVersion), String(change.remove.count)]
        arguments += change.remove
        for record in change.write { arguments += [record.keyID, try Self.json(record)] }
        let reply = try await redis.evaluate(applyChangeScript, keys: [KeySchema.keys, KeySchema.version], arguments: arguments)
        guard let version = reply.int else { throw RedisError(.unexpectedReply, "keyset change answered \(reply)") }
        return version < 0 ? nil : version
    }

    /// Takes the scheduled-rotation lock for `milliseconds` if nobody holds it; `token` proves ownership.
    public func acquireRotationLock(token: String, milliseconds: Int64) async throws -> Bool {
        let reply = try await redis.send("SET", KeySchema.rotationLock, token, "NX", "PX", String(milliseconds))
        return reply == .status("OK")
    }

    /// Releases the lock if `token` still holds it.
    public func releaseRotationLock(token: String) async throws {
        _ = try await redis.evaluate(releaseLockScript, keys: [KeySchema.rotationLock], arguments: [token])
    }

    /// The keyset's version counter.
    public func version() async throws -> Int64 {
        try await redis.send("GET", KeySchema.version).int ?? 0
    }

    private static func json(_ record: SigningKeyRecord) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(record), as: UTF8.self)
    }
}

/// KEYS: keyset, version. ARGV: kid, record JSON, control channel.
private let addFirstKeyScript = RedisScript("""
    if redis.call('HLEN', KEYS[1]) > 0 then return 0 end
    redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
    local version = redis.call('INCR', KEYS[2])
    redis.call('PUBLISH', ARGV[3], 'keys ' .. version)
    return 1
    """)

/// KEYS: keyset, version. ARGV: control channel, expected version, number of removals, the
/// removed kids, then kid and record JSON pairs. Returns the new version, or -1 on a conflict.
private let applyChangeScript = RedisScript("""
    if tonumber(redis.call('GET', KEYS[2]) or '0') ~= tonumber(ARGV[2]) then return -1 end
    local removals = tonumber(ARGV[3])
    for i = 4, 3 + removals do redis.call('HDEL', KEYS[1], ARGV[i]) end
    for i = 4 + removals, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
    local version = redis.call('INCR', KEYS[2])
    redis.call('PUBLISH', ARGV[1], 'keys ' .. version)
    return version
    """)

/// KEYS: the lock. ARGV: the owner's token. Deletes the lock only if the token still holds it.
private let releaseLockScript = RedisScript("""
    if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
    return 0
    """)
