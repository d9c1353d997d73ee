import BatonCore
import BatonCrypto
import Foundation

/// Key operations for operators (CLI and `/admin/keys`) and the scheduler: list, rotate, revoke.
/// Each change is computed by `KeysetPlan` from the keyset as read, and written only if no other
/// change came in between (compare-and-set on the version), else read and computed again, so
/// concurrent rotations never leave two active keys or lose one.
public struct KeyManager: Sendable {
    let store: any KeysetStore
    let sealer: KeySealer
    let retention: Int64
    let clock: any WallClock

    /// Key operations on `store`, sealing under the master secret's derived keys.
    public init(store: any KeysetStore, sealer: KeySealer, retention: Int64, clock: any WallClock) {
        self.store = store
        self.sealer = sealer
        self.retention = retention
        self.clock = clock
    }

    /// A key as operators see it.
    public struct KeyInfo: Sendable, Encodable {
        public var kid: String
        public var alg: String
        public var state: String
        public var published_at: Int64
        public var activates_at: Int64
        public var retires_at: Int64?
        public var revoked_at: Int64?
    }

    /// Every key with its state now, newest first.
    public func list() async throws -> [KeyInfo] {
        let now = clock.seconds()
        return try await store.records().records.sorted { $0.activatesAt > $1.activatesAt }.map { record in
            KeyInfo(kid: record.keyID, alg: record.algorithm, state: record.state(at: now).rawValue,
                    published_at: record.publishedAt, activates_at: record.activatesAt,
                    retires_at: record.retiresAt, revoked_at: record.revokedAt)
        }
    }

    /// Publishes a new key now that signs after `lead` seconds (0: at once); the current key
    /// retires when it does. Returns the new key's record.
    @discardableResult
    public func rotate(algorithm: SigningAlgorithm, lead: Int64) async throws -> SigningKeyRecord {
        let now = clock.seconds()
        let key = try SigningKey.generate(algorithm)
        let record = try sealer.seal(key, publishedAt: now, activatesAt: now + max(0, lead))
        try await applyWithRetry { records in
            KeysetPlan.rotate(records, adding: record, now: now, retention: retention)
        }
        return record
    }

    /// Revokes a key at once (compromise); if it was signing, a waiting key or a new one takes
    /// over immediately. Returns false if there is no such key.
    public func revoke(_ keyID: String, algorithm: SigningAlgorithm) async throws -> Bool {
        let now = clock.seconds()
        var found = true
        try await applyWithRetry { records in
            let change = try KeysetPlan.revoke(records, keyID: keyID, now: now, retention: retention) {
                try sealer.seal(try SigningKey.generate(algorithm), publishedAt: now, activatesAt: now)
            }
            found = change != nil
            return change
        }
        return found
    }

    /// Rotates if the schedule says so, holding the rotation lock so one worker does it.
    /// Returns whether this call rotated.
    func rotateIfDue(period: Int64, lead: Int64, algorithm: SigningAlgorithm) async throws -> Bool {
        let now = clock.seconds()
        guard KeysetPlan.rotationDue(try await store.records().records, now: now, period: period, lead: lead) else {
            return false
        }
        let token = Base64URL.encodeToString(try Random.bytes(count: 16))
        guard try await store.acquireRotationLock(token: token, milliseconds: 30_000) else { return false }
        do {
            // Read again under the lock: another worker may have rotated just before.
            let due = KeysetPlan.rotationDue(try await store.records().records, now: now, period: period, lead: lead)
            if due { try await rotate(algorithm: algorithm, lead: lead) }
            try await store.releaseRotationLock(token: token)
            return due
        } catch {
            try? await store.releaseRotationLock(token: token)
            throw error
        }
    }

    private func applyWithRetry(_ plan: ([SigningKeyRecord]) throws -> KeysetPlan.Change?) async throws {
        for _ in 0..<50 {
            let version = try await store.version()
            let records = try await store.records().records
            guard let change = try plan(records) else { return }
            if try await store.apply(change, expectedVersion: version) != nil { return }
            try await Task.sleep(for: .milliseconds(Int.random(in: 1...20)))
        }
        throw ConfigurationError("the keyset kept changing under this operation; try again")
    }
}
