import BatonCore
import BatonRedis
import Testing
@testable import BatonStore

@Suite struct KeySchemaTests {
    @Test func aDPoPJTIsKeySharesItsFamilysSlot() throws {
        for shard in ["0a1b2c3d", "00000001", "ffffffff", "7e3a90c4"] {
            let session = FamilyStoreTests.session(shard: shard)
            let family = HashSlot(key: KeySchema.family(session))
            for jti in ["a", "e1j3V_bKic8-LAEB", "{other}", "}{", String(repeating: "x", count: 128)] {
                let key = try KeySchema.dpopJWTID(jti, of: session)
                #expect(HashSlot(key: key) == family, "\(key)")
                #expect(HashSlot(key: key) == HashSlot(key: KeySchema.revocations(shard: session.shard)))
                #expect(key.hasPrefix("bt:{" + shard + "}:jti:" + String(decoding: session.familyID, as: UTF8.self) + ":"))
            }
        }
    }

    @Test func aDPoPJTIsKeyHasABoundedLengthAndNamesOneJTIOfOneFamily() throws {
        let session = FamilyStoreTests.session()
        let short = try KeySchema.dpopJWTID("a", of: session)
        let long = try KeySchema.dpopJWTID(String(repeating: "x", count: 10_000), of: session)
        #expect(short.utf8.count == long.utf8.count)
        // 4 + 8 + 6 + 22 + 1 + 43 (base64url of 32 bytes)
        #expect(short.utf8.count == 84)
        #expect(short == (try KeySchema.dpopJWTID("a", of: session)))
        #expect(short != (try KeySchema.dpopJWTID("b", of: session)))
        #expect(short != (try KeySchema.dpopJWTID("a", of: FamilyStoreTests.session())))
        // Not a family record: patterns over `:fam:` miss it.
        #expect(!short.contains(":fam:"))
    }
}
