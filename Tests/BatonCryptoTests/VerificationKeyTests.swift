import Testing
@testable import BatonCrypto

@Suite struct VerificationKeyTests {
    @Test func importsRFCKeys() throws {
        let ec = try VerificationKey(jwk: JWK(json: RFCVectors.es256JWK))
        #expect(ec.algorithm == .es256)
        #expect(ec.keyID == (try JWK(json: RFCVectors.es256JWK).thumbprint()))
        let rsa = try VerificationKey(jwk: JWK(json: RFCVectors.thumbprintExampleJWK))
        #expect(rsa.algorithm == .rs256)
        #expect(rsa.keyID == "2011-04-29")
        let okp = try VerificationKey(jwk: JWK(json: RFCVectors.ed25519JWK))
        #expect(okp.algorithm == .edDSA)
        #expect(okp.keyID == RFCVectors.ed25519Thumbprint)
    }

    @Test func rejectsWrongCoordinateLengths() throws {
        var jwk = try JWK(json: RFCVectors.es256JWK)
        jwk.x = Base64URL.encodeToString(try Base64URL.decode(jwk.x!).dropFirst())
        #expect(throws: CryptoError.self) { try VerificationKey(jwk: jwk) }
        var okp = try JWK(json: RFCVectors.ed25519JWK)
        okp.x = Base64URL.encodeToString(try Base64URL.decode(okp.x!) + [0])
        #expect(throws: CryptoError.self) { try VerificationKey(jwk: okp) }
    }

    @Test func rejectsPointsOffTheCurve() throws {
        var jwk = try JWK(json: RFCVectors.es256JWK)
        var y = try Base64URL.decode(jwk.y!)
        y[31] ^= 1
        jwk.y = Base64URL.encodeToString(y)
        let error = #expect(throws: CryptoError.self) { try VerificationKey(jwk: jwk) }
        #expect(error?.code == .invalidKey)
    }

    @Test func rejectsSmallRSAKeys() throws {
        let modulus = [0xC1] + (try Random.bytes(count: 127))
        let jwk = JWK(keyType: "RSA", modulus: Base64URL.encodeToString(modulus), exponent: "AQAB")
        let error = #expect(throws: CryptoError.self) { try VerificationKey(jwk: jwk) }
        #expect(error?.code == .invalidKey)
    }

    @Test func rejectsUnsupportedOrInconsistentJWKs() throws {
        let unsupported = [
            JWK(keyType: "oct"),
            JWK(keyType: "EC", curve: "P-384", x: "AA", y: "AA"),
            JWK(keyType: "OKP", curve: "X25519", x: RFCVectors.ed25519X),
        ]
        for jwk in unsupported {
            let error = #expect(throws: CryptoError.self) { try VerificationKey(jwk: jwk) }
            #expect(error?.code == .unsupportedAlgorithm)
        }
        var wrongAlgorithm = try JWK(json: RFCVectors.ed25519JWK)
        wrongAlgorithm.algorithm = "ES256"
        #expect(throws: CryptoError.self) { try VerificationKey(jwk: wrongAlgorithm) }
        var encryption = try JWK(json: RFCVectors.ed25519JWK)
        encryption.use = "enc"
        #expect(throws: CryptoError.self) { try VerificationKey(jwk: encryption) }
        var badBase64 = try JWK(json: RFCVectors.ed25519JWK)
        badBase64.x = "not base64url!"
        #expect(throws: CryptoError.self) { try VerificationKey(jwk: badBase64) }
        #expect(throws: CryptoError.self) { try VerificationKey(jwk: JWK(keyType: "RSA", exponent: "AQAB")) }
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func rejectsTruncatedAndTamperedSignatures(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let input = utf8("header.payload")
        let signature = try key.sign(input)
        let verifier = key.verificationKey
        #expect(verifier.isValidSignature(signature, for: input))
        #expect(!verifier.isValidSignature(signature.dropLast(), for: input))
        #expect(!verifier.isValidSignature(signature + [0], for: input))
        #expect(!verifier.isValidSignature([UInt8](), for: input))
        #expect(!verifier.isValidSignature([UInt8](repeating: 0, count: signature.count), for: input))
        for index in [0, signature.count / 2, signature.count - 1] {
            var tampered = signature
            tampered[index] ^= 0x80
            #expect(!verifier.isValidSignature(tampered, for: input))
        }
    }

    @Test func keyFromJWKVerifiesWhatTheSigningKeySigned() throws {
        for algorithm in SigningAlgorithm.allCases {
            let key = try SigningKey.generate(algorithm)
            let verifier = try VerificationKey(jwk: JWK(json: key.jwk.json))
            #expect(verifier.keyID == key.keyID)
            #expect(verifier.isValidSignature(try key.sign(utf8("m")), for: utf8("m")))
        }
    }
}
