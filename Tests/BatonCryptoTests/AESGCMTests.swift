import Testing
@testable import BatonCrypto

@Suite struct AESGCMTests {
    /// The GCM specification's test cases 13 and 14 (AES-256, all-zero key and IV).
    @Test func knownAnswers() throws {
        let sealer = try AESGCM(key: [UInt8](repeating: 0, count: 32))
        let nonce = [UInt8](repeating: 0, count: 12)
        let empty = try sealer.seal([], nonce: nonce, authenticating: [])
        #expect(hex(empty) == "000000000000000000000000" + "530f8afbc74536b9a963b4f1c4cb738b")
        let block = try sealer.seal([UInt8](repeating: 0, count: 16), nonce: nonce, authenticating: [])
        #expect(hex(block) == "000000000000000000000000" + "cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919")
        #expect(try sealer.open(block) == [UInt8](repeating: 0, count: 16))
    }

    @Test func roundTripsWithFreshNonces() throws {
        let sealer = try AESGCM(key: try Random.bytes(count: 32))
        let secret = utf8("a PKCS#8 private key")
        let first = try sealer.seal(secret, authenticating: utf8("kid-1"))
        let second = try sealer.seal(secret, authenticating: utf8("kid-1"))
        #expect(first.count == 12 + secret.count + 16)
        #expect(first.prefix(12) != second.prefix(12))
        #expect(try sealer.open(first, authenticating: utf8("kid-1")) == secret)
        #expect(try sealer.open(try sealer.seal([])) == [])
    }

    @Test func detectsEveryKindOfTampering() throws {
        let sealer = try AESGCM(key: try Random.bytes(count: 32))
        let sealed = try sealer.seal(utf8("private key bytes"), authenticating: utf8("kid-1"))
        for index in [0, 11, 12, sealed.count - 17, sealed.count - 16, sealed.count - 1] {
            var tampered = sealed
            tampered[index] ^= 0x01
            let error = #expect(throws: CryptoError.self) { try sealer.open(tampered, authenticating: utf8("kid-1")) }
            #expect(error?.code == .authenticationFailed)
        }
        #expect(throws: CryptoError.self) { try sealer.open(sealed, authenticating: utf8("kid-2")) }
        #expect(throws: CryptoError.self) { try sealer.open(sealed) }
        #expect(throws: CryptoError.self) { try sealer.open(Array(sealed.dropLast())) }
        #expect(throws: CryptoError.self) { try sealer.open(Array(sealed.prefix(27))) }
        #expect(throws: CryptoError.self) { try AESGCM(key: try Random.bytes(count: 32)).open(sealed, authenticating: utf8("kid-1")) }
    }

    @Test func rejectsWrongKeyLengths() {
        for count in [0, 16, 31, 33] {
            let error = #expect(throws: CryptoError.self) { try AESGCM(key: [UInt8](repeating: 1, count: count)) }
            #expect(error?.code == .invalidKey)
        }
    }

    @Test func neverDescribesItsKey() throws {
        let sealer = try AESGCM(key: [UInt8](repeating: 0x41, count: 32))
        #expect(!String(describing: sealer).contains("65"))
        #expect(!String(reflecting: sealer).contains("65"))
    }
}
