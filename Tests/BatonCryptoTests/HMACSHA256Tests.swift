import Testing
@testable import BatonCrypto

@Suite struct HMACSHA256Tests {
    /// RFC 4231 §4.2–§4.8, HMAC-SHA-256 (case 5 truncated to 128 bits).
    @Test(arguments: [
        (hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), utf8("Hi There"),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (utf8("Jefe"), utf8("what do ya want for nothing?"),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xAA, count: 20), [UInt8](repeating: 0xDD, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        (hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), [UInt8](repeating: 0xCD, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ([UInt8](repeating: 0x0C, count: 20), utf8("Test With Truncation"),
         "a3b6167473100ee06e0c796c2955552b"),
        ([UInt8](repeating: 0xAA, count: 131), utf8("Test Using Larger Than Block-Size Key - Hash Key First"),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ([UInt8](repeating: 0xAA, count: 131),
         utf8("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ])
    func rfc4231(key: [UInt8], data: [UInt8], expected: String) throws {
        let mac = try HMACSHA256(key: key)
        let code = try mac.authenticationCode(for: data)
        #expect(hex(Array(code.prefix(expected.count / 2))) == expected)
        if expected.count == 64 {
            #expect(try mac.isValidAuthenticationCode(hex(expected), for: data))
        }
    }

    @Test func reusesTheKeyAcrossCalls() throws {
        let mac = try HMACSHA256(key: utf8("Jefe"))
        let first = try mac.authenticationCode(for: utf8("what do ya want for nothing?"))
        _ = try mac.authenticationCode(for: utf8("something else"))
        #expect(try mac.authenticationCode(for: utf8("what do ya want for nothing?")) == first)
    }

    @Test func rejectsWrongCodes() throws {
        let mac = try HMACSHA256(key: utf8("key"))
        var code = try mac.authenticationCode(for: utf8("message"))
        #expect(try mac.isValidAuthenticationCode(code, for: utf8("message")))
        #expect(try !mac.isValidAuthenticationCode(code, for: utf8("messagf")))
        #expect(try !mac.isValidAuthenticationCode(code.prefix(16), for: utf8("message")))
        code[31] ^= 1
        #expect(try !mac.isValidAuthenticationCode(code, for: utf8("message")))
    }

    @Test func rejectsAnEmptyKey() {
        #expect(throws: CryptoError.self) { try HMACSHA256(key: [UInt8]()) }
    }

    @Test func isSafeToShareBetweenTasks() async throws {
        let mac = try HMACSHA256(key: utf8("shared"))
        let expected = try mac.authenticationCode(for: utf8("message"))
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { try (0..<500).allSatisfy { _ in try mac.authenticationCode(for: utf8("message")) == expected } }
            }
            for try await allEqual in group { #expect(allEqual) }
        }
    }
}
