import Testing
@testable import BatonCrypto

@Suite struct SigningKeyTests {
    /// RFC 8037 Appendix A.1, A.3, A.4: Ed25519 is deterministic, so the signature must match byte for byte.
    @Test func rfc8037SignatureIsReproducedExactly() throws {
        let key = try SigningKey(pkcs8: RFCVectors.ed25519PKCS8())
        #expect(key.algorithm == .edDSA)
        #expect(key.jwk.x == RFCVectors.ed25519X)
        #expect(key.keyID == RFCVectors.ed25519Thumbprint)
        let token = try JWS.sign(header: RFCVectors.ed25519Header, payload: RFCVectors.ed25519Payload, with: key)
        #expect(String(decoding: token, as: UTF8.self) == RFCVectors.ed25519JWS)
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func generatedKeysSignVerifiably(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let input = utf8("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9")
        let signature = try key.sign(input)
        switch algorithm {
        case .es256, .edDSA: #expect(signature.count == 64)
        case .rs256: #expect(signature.count == 256)
        }
        #expect(key.verificationKey.isValidSignature(signature, for: input))
        #expect(!key.verificationKey.isValidSignature(signature, for: input.dropLast()))
        #expect(try !SigningKey.generate(algorithm).verificationKey.isValidSignature(signature, for: input))
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func pkcs8RoundTripKeepsThePublicKey(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let imported = try SigningKey(pkcs8: key.pkcs8())
        #expect(imported.algorithm == algorithm)
        #expect(imported.jwk == key.jwk)
        #expect(imported.keyID == key.keyID)
        #expect(try imported.pkcs8() == key.pkcs8())
        let signature = try imported.sign(utf8("input"))
        #expect(key.verificationKey.isValidSignature(signature, for: utf8("input")))
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func publicJWKDescribesTheKey(_ algorithm: SigningAlgorithm) throws {
        let jwk = try SigningKey.generate(algorithm).jwk
        #expect(jwk.algorithm == algorithm.rawValue)
        #expect(jwk.use == "sig")
        #expect(jwk.keyID == (try jwk.thumbprint()))
        switch algorithm {
        case .es256:
            #expect(jwk.keyType == "EC" && jwk.curve == "P-256")
            #expect(try Base64URL.decode(jwk.x!).count == 32 && Base64URL.decode(jwk.y!).count == 32)
        case .edDSA:
            #expect(jwk.keyType == "OKP" && jwk.curve == "Ed25519")
            #expect(try Base64URL.decode(jwk.x!).count == 32)
        case .rs256:
            #expect(jwk.keyType == "RSA" && jwk.exponent == "AQAB")
            #expect(try Base64URL.decode(jwk.modulus!).count == 256)
        }
    }

    @Test func generatedKeysDiffer() throws {
        #expect(try SigningKey.generate(.es256).keyID != SigningKey.generate(.es256).keyID)
    }

    @Test func neverDescribesPrivateMaterial() throws {
        let key = try SigningKey(pkcs8: RFCVectors.ed25519PKCS8())
        #expect(String(describing: key) == "SigningKey(EdDSA, kid: \(RFCVectors.ed25519Thumbprint))")
    }

    @Test func rejectsGarbagePKCS8() throws {
        let valid = try SigningKey.generate(.es256).pkcs8()
        for garbage in [[], [0x30], [UInt8](repeating: 0x41, count: 64), Array(valid.dropLast()), valid + [0], try Random.bytes(count: 138)] {
            let error = #expect(throws: CryptoError.self) { try SigningKey(pkcs8: garbage) }
            #expect(error?.code == .invalidKey)
        }
    }

    @Test func signsConcurrently() async throws {
        for algorithm in [SigningAlgorithm.es256, .edDSA] {
            let key = try SigningKey.generate(algorithm)
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        try (0..<100).allSatisfy { index in
                            let input = utf8("task \(task) signature \(index)")
                            return key.verificationKey.isValidSignature(try key.sign(input), for: input)
                        }
                    }
                }
                for try await allValid in group { #expect(allValid) }
            }
        }
    }
}
