import BatonCore
import BatonCrypto
import Foundation
import Logging
import Synchronization

/// A worker's view of the signing keyset: every key unsealed once, the active one picked by the
/// worker's own clock. Reloaded from Redis when the keyset's version changes.
public final class Keyring: Sendable {
    private struct Snapshot {
        var keys: [String: LoadedKey] = [:]
        var version: Int64 = -1
    }

    private let store: any KeysetStore
    private let sealer: KeySealer
    private let logger: Logger
    private let snapshot = Mutex(Snapshot())
    /// How long a retired key stays in the JWKS: the longest access-token lifetime plus leeway (s).
    let retention: Int64

    /// A keyring over `store`, empty until the first `reload`.
    public init(store: any KeysetStore, sealer: KeySealer, retention: Int64, logger: Logger) {
        self.store = store
        self.sealer = sealer
        self.retention = retention
        self.logger = logger
    }

    /// The version of the keyset last loaded (-1 before the first load).
    public var version: Int64 { snapshot.withLock { $0.version } }

    /// The key that signs at `now` (s), if any.
    public func activeKey(at now: Int64) -> LoadedKey? {
        snapshot.withLock { snapshot in
            SigningKeyRecord.active(in: snapshot.keys.values.lazy.map(\.record), at: now).flatMap { snapshot.keys[$0.keyID] }
        }
    }

    /// The key with this id, in whatever state.
    public func key(id: String) -> LoadedKey? {
        snapshot.withLock { $0.keys[id] }
    }

    /// The public keys resource servers may need at `now`: next, active, and recently retired keys.
    public func jwks(at now: Int64) -> [UInt8] {
        let keys = snapshot.withLock { $0.keys }.values
            .filter { $0.record.isPublished(at: now, retention: retention) }
            .sorted { $0.record.activatesAt > $1.record.activatesAt }
        var body = Array(#"{"keys":["#.utf8)
        for (index, key) in keys.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body += key.signingKey.jwk.json
        }
        return body + Array("]}".utf8)
    }

    /// Loads the keyset from Redis. Keys that cannot be unsealed are skipped with a loud error;
    /// if there are keys but none can be unsealed, the master secret is wrong and this throws.
    public func reload() async throws {
        let version = try await store.version()
        let (records, undecodable) = try await store.records()
        for field in undecodable {
            logger.error("signing key record does not decode; ignoring it", metadata: ["baton.key.id": "\(field)"])
        }
        var keys: [String: LoadedKey] = [:]
        for record in records {
            do {
                keys[record.keyID] = try sealer.unseal(record)
            } catch {
                logger.error("signing key cannot be unsealed (tampered, or another master secret); ignoring it",
                             metadata: ["baton.key.id": "\(record.keyID)", "error": "\(error)"])
            }
        }
        if !records.isEmpty && keys.isEmpty {
            throw ConfigurationError(
                "no signing key in Redis can be unsealed with this master secret: every worker must share one master secret")
        }
        snapshot.withLock { snapshot in
            // A slower, older reload never replaces a newer one.
            if version >= snapshot.version { snapshot = Snapshot(keys: keys, version: version) }
        }
    }

    /// Makes sure a key is active: on the very first start, generates an ES256 key and stores it.
    public func ensureActiveKey(now: Int64, algorithm: SigningAlgorithm = .es256) async throws {
        try await reload()
        if activeKey(at: now) != nil { return }
        if snapshot.withLock({ !$0.keys.isEmpty }) {
            logger.warning("the keyset has keys but none is active now; rotate with `baton keys rotate --now`")
            return
        }
        let record = try sealer.seal(try SigningKey.generate(algorithm), publishedAt: now, activatesAt: now)
        if try await store.addFirst(record) {
            logger.notice("generated the first signing key", metadata: ["baton.key.id": "\(record.keyID)", "alg": "\(algorithm.rawValue)"])
        }
        try await reload()
    }
}
