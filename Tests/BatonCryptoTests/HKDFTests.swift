import Testing
@testable import BatonCrypto

@Suite struct HKDFTests {
    struct Vector: Sendable {
        var inputKeyMaterial: [UInt8]
        var salt: [UInt8]
        var info: [UInt8]
        var byteCount: Int
        var pseudorandomKey: String
        var outputKeyMaterial: String
    }

    /// RFC 5869 Appendix A.1–A.3 (SHA-256).
    static let vectors = [
        Vector(
            inputKeyMaterial: [UInt8](repeating: 0x0B, count: 22), salt: hex("000102030405060708090a0b0c"),
            info: hex("f0f1f2f3f4f5f6f7f8f9"), byteCount: 42,
            pseudorandomKey: "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
            outputKeyMaterial: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
        Vector(
            inputKeyMaterial: Array(0x00...0x4F), salt: Array(0x60...0xAF), info: Array(0xB0...0xFF), byteCount: 82,
            pseudorandomKey: "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
            outputKeyMaterial: """
                b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c\
                59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71\
                cc30c58179ec3e87c14c01d5c1f3434f1d87
                """),
        Vector(
            inputKeyMaterial: [UInt8](repeating: 0x0B, count: 22), salt: [], info: [], byteCount: 42,
            pseudorandomKey: "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
            outputKeyMaterial: "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"),
    ]

    @Test(arguments: vectors)
    func rfc5869(_ vector: Vector) throws {
        let prk = try HKDF.extract(salt: vector.salt, inputKeyMaterial: vector.inputKeyMaterial)
        #expect(hex(prk) == vector.pseudorandomKey)
        #expect(hex(try HKDF.expand(pseudorandomKey: prk, info: vector.info, byteCount: vector.byteCount)) == vector.outputKeyMaterial)
        let okm = try HKDF.deriveKey(
            inputKeyMaterial: vector.inputKeyMaterial, salt: vector.salt, info: vector.info, byteCount: vector.byteCount)
        #expect(hex(okm) == vector.outputKeyMaterial)
    }

    @Test func namedSubKeysAreIndependentAndStable() throws {
        let master = try Random.bytes(count: 32)
        let sealing = try HKDF.deriveKey(from: master, info: "baton key sealing v1")
        let refresh = try HKDF.deriveKey(from: master, info: "baton refresh mac v1")
        #expect(sealing.count == 32)
        #expect(sealing != refresh)
        #expect(try HKDF.deriveKey(from: master, info: "baton key sealing v1") == sealing)
    }

    @Test func rejectsBadLengthsAndKeys() {
        #expect(throws: CryptoError.self) { try HKDF.deriveKey(from: [1, 2, 3], info: "x", byteCount: 0) }
        #expect(throws: CryptoError.self) { try HKDF.deriveKey(from: [1, 2, 3], info: "x", byteCount: 255 * 32 + 1) }
        #expect(throws: CryptoError.self) { try HKDF.deriveKey(from: [], info: "x") }
        #expect(throws: CryptoError.self) { try HKDF.expand(pseudorandomKey: [1, 2, 3], info: [], byteCount: 32) }
    }
}
