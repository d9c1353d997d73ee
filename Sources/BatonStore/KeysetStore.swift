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

    /// Writes (adds or replaces) records, bumps the version and announces it.
    public func save(_ records: [SigningKeyRecord]) async throws {
        var arguments = [KeySchema.controlChannel]
        for record in records { arguments += [record.keyID, try Self.json(record)] }
        _ = try await redis.evaluate(saveKeysScript, keys: [KeySchema.keys, KeySchema.version], arguments: arguments)
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

/// KEYS: keyset, version. ARGV: control channel, then kid and record JSON pairs.
private let saveKeysScript = RedisScript("""
    for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
    local version = redis.call('INCR', KEYS[2])
    redis.call('PUBLISH', ARGV[1], 'keys ' .. version)
    return version
    """)
