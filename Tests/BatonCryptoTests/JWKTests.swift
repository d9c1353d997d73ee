import Testing
@testable import BatonCrypto

@Suite struct JWKTests {
    @Test func rfc7638Thumbprint() throws {
        let jwk = try JWK(json: RFCVectors.thumbprintExampleJWK)
        #expect(try jwk.thumbprint() == RFCVectors.thumbprintExample)
        #expect(jwk.keyID == "2011-04-29")
        #expect(jwk.algorithm == "RS256")
    }

    @Test func rfc8037Thumbprint() throws {
        #expect(try JWK(json: RFCVectors.ed25519JWK).thumbprint() == RFCVectors.ed25519Thumbprint)
    }

    @Test func writesMembersInLexicographicOrder() throws {
        let jwk = JWK(keyType: "EC", curve: "P-256", x: "xx", y: "yy", keyID: "k", algorithm: "ES256", use: "sig")
        #expect(String(decoding: jwk.json, as: UTF8.self) == #"{"alg":"ES256","crv":"P-256","kid":"k","kty":"EC","use":"sig","x":"xx","y":"yy"}"#)
        let rsa = JWK(keyType: "RSA", modulus: "nn", exponent: "AQAB")
        #expect(String(decoding: rsa.json, as: UTF8.self) == #"{"e":"AQAB","kty":"RSA","n":"nn"}"#)
    }

    @Test func escapesStrings() {
        let jwk = JWK(keyType: "OKP", keyID: "a\"b\\c\u{01}")
        #expect(String(decoding: jwk.json, as: UTF8.self) == #"{"kid":"a\"b\\c\u0001","kty":"OKP"}"#)
    }

    @Test func jsonRoundTrips() throws {
        for algorithm in SigningAlgorithm.allCases {
            let jwk = try SigningKey.generate(algorithm).jwk
            #expect(try JWK(json: jwk.json) == jwk)
        }
    }

    @Test func dropsPrivateMembers() throws {
        let jwk = try JWK(json: RFCVectors.es256JWK)
        #expect(!String(decoding: jwk.json, as: UTF8.self).contains("jpsQnnGQ"))
    }

    @Test(arguments: ["", "[]", "{}", #"{"kty":1}"#, "{\"kty\":\"EC\"", "null"])
    func rejectsNonJWKs(_ json: String) {
        let error = #expect(throws: CryptoError.self) { try JWK(json: json) }
        #expect(error?.code == .invalidEncoding)
    }

    @Test func thumbprintNeedsRequiredMembers() {
        #expect(throws: CryptoError.self) { try JWK(keyType: "EC", curve: "P-256", x: "x").thumbprint() }
        #expect(throws: CryptoError.self) { try JWK(keyType: "oct").thumbprint() }
    }
}
