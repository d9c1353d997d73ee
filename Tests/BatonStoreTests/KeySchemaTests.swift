import BatonCore
import BatonRedis
import Testing
@testable import BatonStore

@Suite struct KeySchemaTests {
    /// A digest as BatonAuth makes it (base64url SHA-256: 43 characters).
    static let digest = "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"

    @Test func aDPoPJTIsKeySharesItsFamilysSlot() throws {
        for shard in ["0a1b2c3d", "00000001", "ffffffff", "7e3a90c4"] {
            let session = FamilyStoreTests.session(shard: shard)
            let family = HashSlot(key: KeySchema.family(session))
            for digest in ["a", Self.digest, "{other}", "}{", String(repeating: "x", count: DPoPPresentation.maximumDigestLength)] {
                let key = KeySchema.dpopJWTID(digest: digest, of: session)
                #expect(HashSlot(key: key) == family, "\(key)")
                #expect(HashSlot(key: key) == HashSlot(key: KeySchema.revocations(shard: session.shard)))
                #expect(key.hasPrefix("bt:{" + shard + "}:jti:" + String(decoding: session.familyID, as: UTF8.self) + ":"))
            }
        }
    }

    @Test func aDPoPJTIsKeyIsTheDigestAsItIsUnderOneFamily() throws {
        let session = FamilyStoreTests.session()
        let key = KeySchema.dpopJWTID(digest: Self.digest, of: session)
        // 4 + 8 + 6 + 22 + 1 + 43: the digest bounds the key's length (BatonAuth hashes the jti).
        #expect(key.utf8.count == 84)
        #expect(key.hasSuffix(":" + Self.digest))
        #expect(key == KeySchema.dpopJWTID(digest: Self.digest, of: session))
        #expect(key != KeySchema.dpopJWTID(digest: "b", of: session))
        #expect(key != KeySchema.dpopJWTID(digest: Self.digest, of: FamilyStoreTests.session()))
        // Not a family record: patterns over `:fam:` miss it.
        #expect(!key.contains(":fam:"))
    }
}
