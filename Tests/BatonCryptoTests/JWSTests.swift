import Testing
@testable import BatonCrypto

@Suite struct JWSTests {
    /// RFC 7515 Appendix A.3: the ES256 example verifies with the RFC's JWK.
    @Test func rfc7515ES256Example() throws {
        let jws = try JWS(compact: RFCVectors.es256JWS)
        #expect(jws.algorithm == .es256)
        #expect(jws.payload == RFCVectors.examplePayload)
        try jws.verify(with: VerificationKey(jwk: JWK(json: RFCVectors.es256JWK)))
    }

    /// RFC 7515 Appendix A.2: the RS256 example verifies with the RFC's JWK.
    @Test func rfc7515RS256Example() throws {
        let jws = try JWS(compact: RFCVectors.rs256JWS)
        #expect(jws.algorithm == .rs256)
        #expect(jws.payload == RFCVectors.examplePayload)
        try jws.verify(with: VerificationKey(jwk: JWK(json: RFCVectors.rs256JWK)))
    }

    /// RFC 8037 Appendix A.5: the Ed25519 example verifies with the public JWK alone.
    @Test func rfc8037Example() throws {
        let jws = try JWS(compact: RFCVectors.ed25519JWS)
        #expect(jws.algorithm == .edDSA)
        #expect(jws.header == RFCVectors.ed25519Header)
        #expect(jws.payload == RFCVectors.ed25519Payload)
        try jws.verify(with: VerificationKey(jwk: JWK(json: RFCVectors.ed25519JWK)))
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func signAndVerifyRoundTrip(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let header = JWS.protectedHeader(for: key, type: "at+jwt")
        #expect(String(decoding: header, as: UTF8.self) == #"{"alg":"\#(algorithm.rawValue)","kid":"\#(key.keyID)","typ":"at+jwt"}"#)
        let token = try JWS.sign(header: header, payload: utf8(#"{"sub":"alice"}"#), with: key)
        let jws = try JWS(compact: token)
        #expect(jws.keyID == key.keyID)
        #expect(jws.type == "at+jwt")
        #expect(jws.payload == utf8(#"{"sub":"alice"}"#))
        try jws.verify(with: key.verificationKey)
    }

    @Test func appendSignatureBuildsTheSameTokenShape() throws {
        let key = try SigningKey.generate(.es256)
        var token = Base64URL.encode(JWS.protectedHeader(for: key))
        token.append(UInt8(ascii: "."))
        Base64URL.encode(utf8("{}"), into: &token)
        try JWS.appendSignature(to: &token, with: key)
        try JWS(compact: token).verify(with: key.verificationKey)
    }

    @Test(arguments: [
        "", ".", "..", "a.b", "a.b.c.d", "eyJhbGciOiJFUzI1NiJ9..", ".e30.AAAA", "eyJhbGciOiJFUzI1NiJ9.e30.",
        "eyJhbGciOiJFUzI1NiJ9.e30.AA==", "eyJhbGciOiJFUzI1NiJ9.e3+.AAAA", "bm90IGpzb24.e30.AAAA",
        "e30.e30.AAAA", "eyJhbGciOjF9.e30.AAAA", "W10.e30.AAAA",
    ])
    func rejectsMalformedTokens(_ token: String) {
        let error = #expect(throws: CryptoError.self) { try JWS(compact: token) }
        #expect(error?.code == .malformedJWS)
    }

    @Test func rejectsUnsupportedAlgorithmsAndCriticalHeaders() {
        for header in [#"{"alg":"none"}"#, #"{"alg":"HS256"}"#, #"{"alg":"es256"}"#] {
            let token = Base64URL.encodeToString(utf8(header)) + ".e30.AAAA"
            let error = #expect(throws: CryptoError.self) { try JWS(compact: token) }
            #expect(error?.code == .unsupportedAlgorithm)
        }
        let critical = Base64URL.encodeToString(utf8(#"{"alg":"ES256","crit":["exp"],"exp":1}"#)) + ".e30.AAAA"
        #expect(throws: CryptoError.self) { try JWS(compact: critical) }
    }

    @Test func rejectsAlgorithmMismatch() throws {
        let ec = try SigningKey.generate(.es256)
        let ed = try SigningKey.generate(.edDSA)
        let token = try JWS.sign(header: JWS.protectedHeader(for: ec), payload: utf8("{}"), with: ec)
        let error = #expect(throws: CryptoError.self) { try JWS(compact: token).verify(with: ed.verificationKey) }
        #expect(error?.code == .algorithmMismatch)
        // An EdDSA signature under a header claiming ES256 fails as a signature, never as a crash.
        let lying = try JWS.sign(header: JWS.protectedHeader(for: ec), payload: utf8("{}"), with: ed)
        let forged = #expect(throws: CryptoError.self) { try JWS(compact: lying).verify(with: ec.verificationKey) }
        #expect(forged?.code == .invalidSignature)
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func rejectsTamperedTokens(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let token = try JWS.sign(header: JWS.protectedHeader(for: key), payload: utf8(#"{"sub":"alice"}"#), with: key)
        let parts = String(decoding: token, as: UTF8.self).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let otherPayload = Base64URL.encodeToString(utf8(#"{"sub":"mallory"}"#))
        let signature = try Base64URL.decode(parts[2])
        let truncated = Base64URL.encodeToString(signature.dropLast())
        var flipped = signature
        flipped[0] ^= 1
        for tampered in [
            [parts[0], otherPayload, parts[2]], [parts[0], parts[1], truncated],
            [parts[0], parts[1], Base64URL.encodeToString(flipped)],
        ] {
            let error = #expect(throws: CryptoError.self) {
                try JWS(compact: tampered.joined(separator: ".")).verify(with: key.verificationKey)
            }
            #expect(error?.code == .invalidSignature)
        }
    }
}
