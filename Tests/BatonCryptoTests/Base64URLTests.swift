import Testing
@testable import BatonCrypto

@Suite struct Base64URLTests {
    /// RFC 4648 §10 vectors, in the URL alphabet without padding.
    @Test(arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) throws {
        #expect(Base64URL.encodeToString(utf8(plain)) == encoded)
        #expect(try Base64URL.decode(encoded) == utf8(plain))
    }

    @Test func usesTheURLAlphabet() throws {
        #expect(Base64URL.encodeToString([0xFB, 0xFF, 0xBF]) == "-_-_")
        #expect(try Base64URL.decode("-_-_") == [0xFB, 0xFF, 0xBF])
    }

    @Test func appendsToExistingBytes() {
        var output = utf8("x.")
        Base64URL.encode(utf8("foob"), into: &output)
        #expect(output == utf8("x.Zm9vYg"))
    }

    @Test func encodingInPlaceEqualsEncodingIntoAnotherArray() throws {
        for count in 0..<70 {
            let bytes = try Random.bytes(count: count)
            var inPlace = utf8("head.") + bytes
            Base64URL.encodeInPlace(&inPlace, from: 5)
            #expect(inPlace == utf8("head.") + Base64URL.encode(bytes), "\(count) bytes")
        }
    }

    @Test func roundTripsEveryLength() throws {
        for count in 0..<70 {
            let bytes = try Random.bytes(count: count)
            let encoded = Base64URL.encode(bytes)
            #expect(encoded.count == Base64URL.encodedCount(count))
            #expect(try Base64URL.decode(encoded) == bytes)
        }
    }

    @Test(arguments: ["Zm9vYg==", "Zm9v Yg", "Zm9v+g", "Zm9v/g", "Zm9vY", "A", "Zm9vYh", "Zm9vYmF=", "Zm9\u{00E9}"])
    func rejectsInvalidInput(_ encoded: String) {
        let error = #expect(throws: CryptoError.self) { try Base64URL.decode(encoded) }
        #expect(error?.code == .invalidEncoding)
    }
}
