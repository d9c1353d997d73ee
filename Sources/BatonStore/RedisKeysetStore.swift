import BatonCore
import BatonRedis
import Foundation

/// The signing keyset in Redis: one hash of sealed key records, a version counter, and a
/// broadcast on the control channel whenever it changes.
public struct RedisKeysetStore: Sendable {
    private let redis: any RedisDeployment

    /// Creates the store on a Redis deployment.
    public init(redis: any RedisDeployment) {
        self.redis = redis
    }

    /// Every record in the keyset (records that do not decode are reported, not thrown).
    public func records() async throws -> (records: [SigningKeyRecord], undecodable: [String]) {
        let reply = try await redis.storeSend("HGETALL", KeySchema.keys)
        guard let fields = reply.array else { throw StoreError.unexpected("HGETALL keys", reply) }
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
        let reply = try await redis.storeEvaluate(addFirstKeyScript, keys: [KeySchema.keys, KeySchema.version],
                                             arguments: [record.keyID, try Self.json(record), KeySchema.controlChannel])
        return reply.int == 1
    }

    /// Applies a change only if the version is still `expectedVersion` (no other change came in
    /// between), bumps the version and announces it; returns the new version, or nil on a conflict.
    public func apply(_ change: KeysetPlan.Change, expectedVersion: Int64) async throws -> Int64? {
        var arguments = [KeySchema.controlChannel, String(expectedVersion), String(change.remove.count)]
        arguments += change.remove
        for record in change.write { arguments += [record.keyID, try Self.json(record)] }
        let reply = try await redis.storeEvaluate(applyChangeScript, keys: [KeySchema.keys, KeySchema.version], arguments: arguments)
        guard let version = reply.int else { throw StoreError.unexpected("keyset change", reply) }
        return version < 0 ? nil : version
    }

    /// Takes the scheduled-rotation lock for `milliseconds` if nobody holds it; `token` proves ownership.
    public func acquireRotationLock(token: String, milliseconds: Int64) async throws -> Bool {
        let reply = try await redis.storeSend("SET", KeySchema.rotationLock, token, "NX", "PX", String(milliseconds))
        return reply == .status("OK")
    }

    /// Releases the lock if `token` still holds it.
    public func releaseRotationLock(token: String) async throws {
        _ = try await redis.storeEvaluate(releaseLockScript, keys: [KeySchema.rotationLock], arguments: [token])
    }

    /// The keyset's version counter.
    public func version() async throws -> Int64 {
        try await redis.storeSend("GET", KeySchema.version).int ?? 0
    }

    private static func json(_ record: SigningKeyRecord) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(record), as: UTF8.self)
    }
}
