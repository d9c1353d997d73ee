import BatonCore
import BatonCrypto

/// Seals signing keys for the keyset in Redis (AES-256-GCM under a key derived from the master
/// secret, the kid as associated data) and opens them again. Redis alone never reveals a key.
public struct KeySealer: Sendable {
    let derivedKeys: DerivedKeys

    /// A sealer under the master secret's derived keys.
    public init(derivedKeys: DerivedKeys) {
        self.derivedKeys = derivedKeys
    }

    /// A record for `key`, published at `publishedAt` and signing from `activatesAt` (s).
    func seal(_ key: SigningKey, publishedAt: Int64, activatesAt: Int64) throws -> SigningKeyRecord {
        let sealed = try derivedKeys.keyEncryption.seal(try key.pkcs8(), authenticating: Array(key.keyID.utf8))
        return SigningKeyRecord(keyID: key.keyID, algorithm: key.algorithm.rawValue,
                                sealedPrivateKey: Base64URL.encodeToString(sealed),
                                publishedAt: publishedAt, activatesAt: activatesAt)
    }

    /// The key a record seals; throws if it was tampered with or sealed under another secret.
    func unseal(_ record: SigningKeyRecord) throws -> LoadedKey {
        let sealed = try Base64URL.decode(record.sealedPrivateKey)
        let pkcs8 = try derivedKeys.keyEncryption.open(sealed, authenticating: Array(record.keyID.utf8))
        let key = try SigningKey(pkcs8: pkcs8)
        guard key.keyID == record.keyID, key.algorithm.rawValue == record.algorithm else {
            throw ConfigurationError("the sealed key does not match its record")
        }
        return LoadedKey(record: record, signingKey: key)
    }
}

extension KeySealer: RedactedDescription {
    /// The keys describe themselves redacted.
    public var publicFields: KeyValuePairs<String, Any> { ["derivedKeys": derivedKeys] }
}
