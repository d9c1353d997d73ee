@testable import BatonAuth
import BatonCore
import BatonCrypto
import Foundation
import Testing

/// RFC 9449 §4.3's checks of a DPoP proof at the token endpoint, one rule per test, with proofs
/// signed by our own keys.
@Suite struct DPoPProofVerifierTests {
    private let now = DPoPProofMaker.now
    private let verifier = try! DPoPProofVerifier(tokenEndpoint: DPoPProofMaker.tokenEndpoint)

    private func verify(
        _ headerValues: [String], with verifier: DPoPProofVerifier? = nil, method: String = "POST", at now: Int64? = nil,
        nonceRequired: Bool = false
    ) throws -> DPoPProof {
        try (verifier ?? self.verifier).verify(
            headerValues: headerValues, method: method, now: now ?? self.now, nonceRequired: nonceRequired)
    }

    /// Expects `verify` to refuse with `code` and `hint` (and `reason`, when given), and the
    /// refusal's text never to repeat the proof.
    private func expectRefused(
        _ headerValues: [String], with verifier: DPoPProofVerifier? = nil, method: String = "POST", at now: Int64? = nil,
        nonceRequired: Bool = false, code: BatonError.Code = .invalidDPoPProof, hint: String, reason: DPoPProofRefusal.Reason? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = #expect(throws: DPoPProofRefusal.self, sourceLocation: sourceLocation) {
            try verify(headerValues, with: verifier, method: method, at: now, nonceRequired: nonceRequired)
        }
        #expect(error?.error.code == code, sourceLocation: sourceLocation)
        #expect(error?.error.hint == hint, sourceLocation: sourceLocation)
        if let reason { #expect(error?.reason == reason, sourceLocation: sourceLocation) }
        for value in headerValues where value.count > 8 {
            #expect(!"\(String(describing: error))".contains(value), sourceLocation: sourceLocation)
        }
    }

    /// Nonces in the default 300 s buckets, under a master secret of 32 `secretByte`s.
    private func makeNonces(secretByte: UInt8 = 7) throws -> DPoPNonces {
        try DPoPNonces(keys: DerivedKeys(MasterSecret(bytes: Array(repeating: secretByte, count: 32))))
    }

    // MARK: Accepted proofs

    @Test(arguments: SigningAlgorithm.allCases)
    func validProofIsAcceptedWithItsKeysThumbprint(algorithm: SigningAlgorithm) throws {
        let maker = try DPoPProofMaker(algorithm)
        let proof = try maker.proof { _, claims in claims["jti"] = "jti-\(algorithm.rawValue)" }
        let checked = try verify([proof])
        #expect(checked == DPoPProof(thumbprint: try maker.thumbprint, jwtID: "jti-\(algorithm.rawValue)",
                                     issuedAt: now / 1000, nonce: nil))
    }

    @Test func athAndUnknownClaimsAreIgnored() throws {
        let maker = try DPoPProofMaker(.es256)
        let proof = try maker.proof { _, claims in
            claims["ath"] = "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
            claims["extra"] = ["anything": true]
        }
        #expect(try verify([proof]).thumbprint == maker.thumbprint)
    }

    @Test func jwkMembersBeyondThePublicKeyAreAllowed() throws {
        let maker = try DPoPProofMaker(.es256)
        let proof = try maker.proof { header, _ in
            var jwk = maker.publicJWK
            jwk["kid"] = "client key"
            jwk["alg"] = "ES256"
            jwk["use"] = "sig"
            header["jwk"] = jwk
        }
        #expect(try verify([proof]).thumbprint == maker.thumbprint)
    }

    // MARK: The DPoP header itself

    @Test func zeroHeadersAreAMissingProof() {
        expectRefused([], hint: "missing DPoP proof")
    }

    @Test func twoHeadersAreRefusedEvenWhenBothAreValid() throws {
        let maker = try DPoPProofMaker(.es256)
        expectRefused([try maker.proof(), try maker.proof()], hint: "more than one DPoP header")
    }

    @Test func oversizedProofIsRefused() throws {
        let maker = try DPoPProofMaker(.es256)
        let proof = try maker.proof { _, claims in claims["padding"] = String(repeating: "a", count: 6_200) }
        #expect(proof.utf8.count > DPoPProofVerifier.maximumProofByteCount)
        expectRefused([proof], hint: "the DPoP proof is larger than 8192 bytes")
    }

    @Test func proofWithoutThreeNonEmptySegmentsIsRefused() throws {
        let parts = try DPoPProofMaker(.es256).proof().split(separator: ".").map(String.init)
        let hint = "the DPoP proof is not a JWS of three non-empty segments"
        for malformed in ["", parts[0] + "." + parts[1], parts.joined(separator: ".") + ".", parts[0] + ".." + parts[2],
                          parts[0] + "." + parts[1] + ".", parts.joined(separator: ".") + "." + parts[2]] {
            expectRefused([malformed], hint: hint)
        }
    }

    @Test func segmentsMustBeStrictBase64URL() throws {
        let parts = try DPoPProofMaker(.es256).proof().split(separator: ".").map(String.init)
        let hint = "the DPoP proof has a segment that is not base64url"
        let standardAlphabet = parts[2].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        for malformed in [
            parts[0] + "=." + parts[1] + "." + parts[2],          // padding
            parts[0] + "." + parts[1] + " ." + parts[2],          // whitespace
            parts[0] + "." + parts[1] + "." + parts[2] + "AAA",   // an impossible length
            parts[0] + "." + parts[1] + ".+/+/" + parts[2],       // the standard alphabet
        ] {
            expectRefused([malformed], hint: hint)
        }
        if standardAlphabet != parts[2] {
            expectRefused([parts[0] + "." + parts[1] + "." + standardAlphabet], hint: hint)
        }
    }

    @Test func headerAndPayloadMustBeJSONObjects() throws {
        let maker = try DPoPProofMaker(.es256)
        let good = try maker.proof().split(separator: ".").map(String.init)
        func compact(_ header: String, _ payload: String) throws -> String {
            let input = Base64URL.encodeToString(Array(header.utf8)) + "." + Base64URL.encodeToString(Array(payload.utf8))
            return input + "." + Base64URL.encodeToString(try maker.key.sign(Array(input.utf8)))
        }
        let header = String(decoding: try Base64URL.decode(good[0]), as: UTF8.self)
        let payload = String(decoding: try Base64URL.decode(good[1]), as: UTF8.self)
        expectRefused([try compact("[1]", payload)], hint: "the DPoP proof's header is not a JSON object")
        expectRefused([try compact("{\"typ\":", payload)], hint: "the DPoP proof's header is not valid JSON")
        expectRefused([try compact(header, "\"claims\"")], hint: "the DPoP proof's payload is not a JSON object")
        expectRefused([try compact(header, "{\"jti\":\"a\",\"jti\":\"b\"}")], hint: "the DPoP proof's payload is not valid JSON")
        // A repeated header member is refused before it can mean two things.
        let repeated = "{\"typ\":\"dpop+jwt\"," + header.dropFirst()
        expectRefused([try compact(repeated, payload)], hint: "the DPoP proof's header is not valid JSON")
    }

    // MARK: The header

    @Test func typMustBeExactlyDPoPJWT() throws {
        let maker = try DPoPProofMaker(.es256)
        let hint = "the DPoP proof's typ must be dpop+jwt"
        expectRefused([try maker.proof { header, _ in header["typ"] = nil }], hint: hint)
        for wrong in ["JWT", "at+jwt", "DPoP+JWT", "application/dpop+jwt", 1] as [Any] {
            expectRefused([try maker.proof { header, _ in header["typ"] = wrong }], hint: hint)
        }
    }

    @Test func algorithmsOtherThanES256EdDSAAndRS256AreRefused() throws {
        let maker = try DPoPProofMaker(.es256)
        let hint = "the DPoP proof's alg must be ES256, EdDSA or RS256"
        expectRefused([try maker.proof { header, _ in header["alg"] = nil }], hint: hint)
        for wrong in ["none", "HS256", "HS512", "ES384", "PS256", "es256", "Ed25519", 256] as [Any] {
            expectRefused([try maker.proof { header, _ in header["alg"] = wrong }], hint: hint)
        }
    }

    @Test func unsignedProofWithAlgNoneIsRefused() throws {
        let maker = try DPoPProofMaker(.es256)
        let parts = try maker.proof { header, _ in header["alg"] = "none" }.split(separator: ".")
        expectRefused([parts[0] + "." + parts[1] + "."], hint: "the DPoP proof is not a JWS of three non-empty segments")
        expectRefused([parts[0] + "." + parts[1] + ".AAAA"], hint: "the DPoP proof's alg must be ES256, EdDSA or RS256")
    }

    @Test func critIsRefused() throws {
        let maker = try DPoPProofMaker(.edDSA)
        let proof = try maker.proof { header, _ in
            header["crit"] = ["exp"]
            header["exp"] = 1
        }
        expectRefused([proof], hint: "the DPoP proof has critical header parameters (crit)")
    }

    @Test func missingOrNonObjectJWKIsRefused() throws {
        let maker = try DPoPProofMaker(.es256)
        let hint = "the DPoP proof's header has no jwk object"
        expectRefused([try maker.proof { header, _ in header["jwk"] = nil }], hint: hint)
        expectRefused([try maker.proof { header, _ in header["jwk"] = String(decoding: maker.key.jwk.json, as: UTF8.self) }],
                      hint: hint)
        expectRefused([try maker.proof { header, _ in header["jwk"] = [maker.publicJWK] }], hint: hint)
    }

    @Test(arguments: ["d", "p", "q", "dp", "dq", "qi", "oth", "k"])
    func jwkWithAPrivateMemberIsRefused(member: String) throws {
        let maker = try DPoPProofMaker(member == "d" ? .es256 : .rs256)
        let proof = try maker.proof { header, _ in
            var jwk = maker.publicJWK
            jwk[member] = "AQAB"
            header["jwk"] = jwk
        }
        expectRefused([proof], hint: "the DPoP proof's jwk must be a public key")
    }

    @Test func symmetricJWKIsRefused() throws {
        let maker = try DPoPProofMaker(.es256)
        let proof = try maker.proof { header, _ in
            header["alg"] = "HS256"
            header["jwk"] = ["kty": "oct", "k": "c2VjcmV0"]
        }
        expectRefused([proof], hint: "the DPoP proof's alg must be ES256, EdDSA or RS256")
        let disguised = try maker.proof { header, _ in header["jwk"] = ["kty": "oct", "k": "c2VjcmV0"] }
        expectRefused([disguised], hint: "the DPoP proof's jwk must be a public key")
    }

    @Test func unusableJWKIsRefused() throws {
        let maker = try DPoPProofMaker(.es256)
        let hint = "the DPoP proof's jwk is not a supported public key"
        var noY = maker.publicJWK
        noY["y"] = nil
        var otherCurve = maker.publicJWK
        otherCurve["crv"] = "P-384"
        var offCurve = maker.publicJWK
        offCurve["y"] = maker.publicJWK["x"]
        var numericX = maker.publicJWK
        numericX["x"] = 12
        var statesOtherAlg = maker.publicJWK
        statesOtherAlg["alg"] = "RS256"
        var encryptionKey = maker.publicJWK
        encryptionKey["use"] = "enc"
        for jwk in [noY, otherCurve, offCurve, numericX, statesOtherAlg, encryptionKey] {
            expectRefused([try maker.proof { header, _ in header["jwk"] = jwk }], hint: hint)
        }
        var noKeyType = maker.publicJWK
        noKeyType["kty"] = nil
        expectRefused([try maker.proof { header, _ in header["jwk"] = noKeyType }], hint: "the DPoP proof's jwk has no kty")
    }

    @Test func rsaKeysBelow2048BitsAreRefused() throws {
        let maker = try DPoPProofMaker(.rs256)
        var modulus = try Random.bytes(count: 128)
        modulus[0] |= 0x80
        modulus[127] |= 0x01
        let proof = try maker.proof { header, _ in
            header["jwk"] = ["kty": "RSA", "e": "AQAB", "n": Base64URL.encodeToString(modulus)]
        }
        expectRefused([proof], hint: "the DPoP proof's jwk is not a supported public key")
    }

    @Test func keyTypeMustMatchAlg() throws {
        let ecdsa = try DPoPProofMaker(.es256)
        let edwards = try DPoPProofMaker(.edDSA)
        let rsa = try DPoPProofMaker(.rs256)
        let hint = "the DPoP proof's jwk is not a key for its alg"
        // An ES256 header with an Ed25519 jwk, signed by either key.
        expectRefused([try ecdsa.proof { header, _ in header["jwk"] = edwards.publicJWK }], hint: hint)
        expectRefused([try ecdsa.proof(signedBy: edwards.key) { header, _ in header["jwk"] = edwards.publicJWK }], hint: hint)
        expectRefused([try edwards.proof { header, _ in header["jwk"] = ecdsa.publicJWK }], hint: hint)
        expectRefused([try rsa.proof { header, _ in header["alg"] = "ES256" }], hint: hint)
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func signatureByAnotherKeyIsRefused(algorithm: SigningAlgorithm) throws {
        let maker = try DPoPProofMaker(algorithm)
        let proof = try maker.proof(signedBy: try SigningKey.generate(algorithm))
        expectRefused([proof], hint: "the DPoP proof's signature does not verify with its jwk")
    }

    @Test func alteredPayloadIsRefused() throws {
        let maker = try DPoPProofMaker(.edDSA)
        let parts = try maker.proof().split(separator: ".").map(String.init)
        let other = try maker.proof { _, claims in claims["jti"] = "another" }.split(separator: ".").map(String.init)
        expectRefused([parts[0] + "." + other[1] + "." + parts[2]], hint: "the DPoP proof's signature does not verify with its jwk")
    }

    // MARK: The claims

    @Test func jtiMustBeAShortVisibleASCIIString() throws {
        let maker = try DPoPProofMaker(.es256)
        let hint = "the DPoP proof's jti must be 1 to 128 visible ASCII characters"
        expectRefused([try maker.proof { _, claims in claims["jti"] = nil }], hint: hint)
        for wrong in ["", String(repeating: "j", count: 129), "has space", "tab\t", "é", 12_345, ["a"]] as [Any] {
            expectRefused([try maker.proof { _, claims in claims["jti"] = wrong }], hint: hint)
        }
        let longest = String(repeating: "j", count: 128)
        #expect(try verify([try maker.proof { _, claims in claims["jti"] = longest }]).jwtID == longest)
        #expect(try verify([try maker.proof { _, claims in claims["jti"] = "!~" }]).jwtID == "!~")
    }

    @Test func htmMustBeTheRequestsMethod() throws {
        let maker = try DPoPProofMaker(.es256)
        let hint = "the DPoP proof's htm is not the request's method"
        expectRefused([try maker.proof { _, claims in claims["htm"] = "GET" }], hint: hint)
        expectRefused([try maker.proof { _, claims in claims["htm"] = "post" }], hint: hint)
        expectRefused([try maker.proof { _, claims in claims["htm"] = nil }], hint: hint)
        expectRefused([try maker.proof()], method: "PUT", hint: hint)
        #expect(try verify([try maker.proof { _, claims in claims["htm"] = "PUT" }], method: "PUT").thumbprint == maker.thumbprint)
    }

    @Test func htuMustBeTheTokenEndpoint() throws {
        let maker = try DPoPProofMaker(.es256)
        let hint = "the DPoP proof's htu is not the token endpoint's URL"
        let wrongTargets: [Any?] = [
            nil, 42, "", "/oauth/token", "baton.example/oauth/token",
            "http://baton.example/oauth/token",           // another scheme
            "https://baton.example:8443/oauth/token",     // another port
            "https://other.example/oauth/token",          // another host
            "https://baton.example/oauth/revoke",         // another path
            "https://baton.example/oauth/token/",
            "https://baton.example/OAUTH/token",          // paths are case-sensitive
            "https://baton.example/oauth%2Ftoken",        // an encoded "/" is not a separator
            "https://user@baton.example/oauth/token",     // userinfo
            "https://baton.example/oauth/%zztoken",
            "ftp://baton.example/oauth/token",
        ]
        for wrong in wrongTargets {
            expectRefused([try maker.proof { _, claims in claims["htu"] = wrong }], hint: hint)
        }
    }

    @Test func htuDifferingOnlyByNormalisationIsAccepted() throws {
        let maker = try DPoPProofMaker(.es256)
        for equivalent in [
            "HTTPS://Baton.EXAMPLE/oauth/token",
            "https://baton.example:443/oauth/token",
            "https://baton.example:/oauth/token",
            "https://baton.example/oauth/token?client_id=app",
            "https://baton.example/oauth/token#fragment",
            "https://baton.example/oauth/%74%6Fken",
            "https://baton.example/oauth/./token",
            "https://baton.example/other/../oauth/token",
        ] {
            let proof = try maker.proof { _, claims in claims["htu"] = equivalent }
            #expect(try verify([proof]).thumbprint == maker.thumbprint, "\(equivalent)")
        }
    }

    @Test func configuredEndpointIsNormalisedToo() throws {
        let maker = try DPoPProofMaker(.edDSA)
        let local = try DPoPProofVerifier(tokenEndpoint: "HTTP://127.0.0.1:8080/oauth/token")
        #expect(local.endpoint == "http://127.0.0.1:8080/oauth/token")
        let proof = try maker.proof { _, claims in claims["htu"] = "http://127.0.0.1:8080/oauth/token" }
        #expect(try verify([proof], with: local).thumbprint == maker.thumbprint)
        let defaultPort = try maker.proof { _, claims in claims["htu"] = "http://127.0.0.1/oauth/token" }
        expectRefused([defaultPort], with: local, hint: "the DPoP proof's htu is not the token endpoint's URL")
        #expect(try DPoPProofVerifier(tokenEndpoint: "https://[::1]:443").endpoint == "https://[::1]/")
    }

    @Test func endpointThatIsNotAnHTTPURLIsAConfigurationError() {
        for wrong in ["", "/oauth/token", "baton.example/oauth/token", "mailto:a@b", "https://", "https://a@b/", "https://b:99999/"] {
            #expect(throws: ConfigurationError.self, "\(wrong)") { try DPoPProofVerifier(tokenEndpoint: wrong) }
        }
        #expect(throws: ConfigurationError.self) {
            try DPoPProofVerifier(tokenEndpoint: DPoPProofMaker.tokenEndpoint, issuedAtWindowSeconds: -1)
        }
    }

    @Test func iatMustBeWithinTheWindowEitherSide() throws {
        let maker = try DPoPProofMaker(.es256)
        let seconds = now / 1000
        let hint = "the DPoP proof's iat is more than 60 s from the server's time"
        expectRefused([try maker.proof { _, claims in claims["iat"] = seconds - 61 }], hint: hint)
        expectRefused([try maker.proof { _, claims in claims["iat"] = seconds + 61 }], hint: hint)
        expectRefused([try maker.proof { _, claims in claims["iat"] = seconds - 3_600 }], hint: hint)
        expectRefused([try maker.proof { _, claims in claims["iat"] = 1e300 }], hint: hint)
        for inside in [seconds - 60, seconds - 59, seconds + 59, seconds + 60] {
            #expect(try verify([try maker.proof { _, claims in claims["iat"] = inside }]).issuedAt == inside)
        }
        // The window is measured in milliseconds: 60.5 s after the proof's second is too late.
        expectRefused([try maker.proof { _, claims in claims["iat"] = seconds - 60 }], at: now + 500, hint: hint)
        // A NumericDate may have a fraction.
        #expect(try verify([try maker.proof { _, claims in claims["iat"] = Double(seconds) + 0.75 }]).issuedAt == seconds)
    }

    @Test func iatWindowIsConfigurable() throws {
        let maker = try DPoPProofMaker(.es256)
        let narrow = try DPoPProofVerifier(tokenEndpoint: DPoPProofMaker.tokenEndpoint, issuedAtWindowSeconds: 5)
        let proof = try maker.proof { _, claims in claims["iat"] = now / 1000 - 6 }
        expectRefused([proof], with: narrow, hint: "the DPoP proof's iat is more than 5 s from the server's time")
        #expect(try verify([proof]).issuedAt == now / 1000 - 6)
    }

    @Test func iatMustBeANumber() throws {
        let maker = try DPoPProofMaker(.es256)
        let hint = "the DPoP proof's iat must be a number"
        expectRefused([try maker.proof { _, claims in claims["iat"] = nil }], hint: hint)
        expectRefused([try maker.proof { _, claims in claims["iat"] = String(now / 1000) }], hint: hint)
    }

    // MARK: Nonces

    @Test func nonceIsNotNeededWhenNoncesAreOff() throws {
        let maker = try DPoPProofMaker(.es256)
        #expect(try verify([try maker.proof()], nonceRequired: true).nonce == nil)
        let withNonce = try maker.proof { _, claims in claims["nonce"] = "anything" }
        #expect(try verify([withNonce], nonceRequired: true).nonce == nil)
    }

    @Test func currentOrPreviousNonceIsAccepted() throws {
        let nonces = try makeNonces()
        let verifier = try DPoPProofVerifier(tokenEndpoint: DPoPProofMaker.tokenEndpoint, nonces: nonces)
        let maker = try DPoPProofMaker(.es256)
        for issued in [now, now - 300_000] {
            let nonce = try nonces.current(at: issued)
            let proof = try maker.proof { _, claims in claims["nonce"] = nonce }
            #expect(try verify([proof], with: verifier, nonceRequired: true).nonce == nonce)
            #expect(try verify([proof], with: verifier, nonceRequired: false).nonce == nonce)
        }
        #expect(try verify([try maker.proof()], with: verifier, nonceRequired: false).nonce == nil)
    }

    @Test func missingNonceIsUseDPoPNonceWhenRequired() throws {
        let verifier = try DPoPProofVerifier(tokenEndpoint: DPoPProofMaker.tokenEndpoint, nonces: try makeNonces())
        let maker = try DPoPProofMaker(.es256)
        expectRefused([try maker.proof()], with: verifier, nonceRequired: true, code: .useDPoPNonce,
                      hint: "a DPoP nonce is required")
    }

    @Test func staleForgedOrFutureNonceIsUseDPoPNonce() throws {
        let nonces = try makeNonces()
        let verifier = try DPoPProofVerifier(tokenEndpoint: DPoPProofMaker.tokenEndpoint, nonces: nonces)
        let maker = try DPoPProofMaker(.es256)
        var forgedMAC = try Base64URL.decode(try nonces.current(at: now))
        forgedMAC[forgedMAC.count - 1] ^= 1
        let wrong: [Any] = [
            try nonces.current(at: now - 600_000),                             // two buckets back
            try nonces.current(at: now + 300_000),                             // the next bucket
            try makeNonces(secretByte: 8).current(at: now),                   // another master secret
            Base64URL.encodeToString(forgedMAC),
            Base64URL.encodeToString(try Random.bytes(count: 24)),
            "", "not-a-nonce", 17,
        ]
        for nonce in wrong {
            let proof = try maker.proof { _, claims in claims["nonce"] = nonce }
            for required in [true, false] {
                expectRefused([proof], with: verifier, nonceRequired: required, code: .useDPoPNonce,
                              hint: "the DPoP nonce is invalid or expired")
            }
        }
    }

    @Test func nonceIsCheckedOnlyAfterEverythingElse() throws {
        let verifier = try DPoPProofVerifier(tokenEndpoint: DPoPProofMaker.tokenEndpoint, nonces: try makeNonces())
        let maker = try DPoPProofMaker(.es256)
        let badSignature = try maker.proof(signedBy: try SigningKey.generate(.es256))
        expectRefused([badSignature], with: verifier, nonceRequired: true,
                      hint: "the DPoP proof's signature does not verify with its jwk")
        let stale = try maker.proof { _, claims in claims["iat"] = now / 1000 - 120 }
        expectRefused([stale], with: verifier, nonceRequired: true,
                      hint: "the DPoP proof's iat is more than 60 s from the server's time")
    }

    // MARK: Refusal reasons (the metric's label)

    @Test func everyRefusalNamesItsReason() throws {
        let verifier = try DPoPProofVerifier(tokenEndpoint: DPoPProofMaker.tokenEndpoint, nonces: try makeNonces())
        let maker = try DPoPProofMaker(.es256)
        expectRefused([], with: verifier, hint: "missing DPoP proof", reason: .missing)
        expectRefused([try maker.proof { header, _ in header["typ"] = "JWT" }], with: verifier,
                      hint: "the DPoP proof's typ must be dpop+jwt", reason: .malformed)
        expectRefused([try maker.proof(), try maker.proof()], with: verifier, hint: "more than one DPoP header", reason: .malformed)
        expectRefused([try maker.proof(signedBy: try SigningKey.generate(.es256))], with: verifier,
                      hint: "the DPoP proof's signature does not verify with its jwk", reason: .signature)
        expectRefused([try maker.proof { _, claims in claims["htu"] = DPoPProofMaker.revocationEndpoint }], with: verifier,
                      hint: "the DPoP proof's htu is not the token endpoint's URL", reason: .target)
        expectRefused([try maker.proof()], with: verifier, method: "GET", hint: "the DPoP proof's htm is not the request's method",
                      reason: .target)
        expectRefused([try maker.proof { _, claims in claims["iat"] = now / 1000 + 61 }], with: verifier,
                      hint: "the DPoP proof's iat is more than 60 s from the server's time", reason: .iat)
        expectRefused([try maker.proof()], with: verifier, nonceRequired: true, code: .useDPoPNonce,
                      hint: "a DPoP nonce is required", reason: .nonce)
    }
}
