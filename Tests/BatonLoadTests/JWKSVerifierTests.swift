@testable import BatonLoad
import BatonCrypto
import NIOCore
import NIOEmbedded
import Testing

/// The resource-server side of the rotation scenario on a virtual clock: unknown kids trigger
/// rate-limited refetches, late keys are waited for, missing keys and bad signatures fail.
@Suite struct JWKSVerifierTests {
    private func tokenResponse(signedBy key: SigningKey) throws -> ByteBuffer {
        tokenResponse(try JWS.sign(header: JWS.protectedHeader(for: key, type: "at+jwt"), payload: Array(#"{"sub":"a"}"#.utf8), with: key))
    }

    private func tokenResponse(_ token: [UInt8]) -> ByteBuffer {
        ByteBuffer(string: #"{"access_token":""# + String(decoding: token, as: UTF8.self) + #"","refresh_token":"btr1.x"}"#)
    }

    /// A verifier on a virtual loop whose JWKS (fetched once, at once) holds `keys`.
    private func primedVerifier(keys: [SigningKey]) -> (EmbeddedEventLoop, LoopStats, JWKSVerifier) {
        let loop = EmbeddedEventLoop()
        let stats = LoopStats()
        let verifier = JWKSVerifier(loop: loop, stats: stats) { loop.makeSucceededFuture(self.jwks(keys)) }
        _ = verifier.prime()
        loop.run()
        return (loop, stats, verifier)
    }

    private func jwks(_ keys: [SigningKey]) -> ParsedResponse {
        let members = keys.map { String(decoding: $0.jwk.json, as: UTF8.self) }.joined(separator: ",")
        return ParsedResponse(status: 200, body: ByteBuffer(string: #"{"keys":["# + members + "]}"))
    }

    @Test func waitsForLateKeysRefetchesAtMostEvery250msAndFailsWhatNeverComes() throws {
        let loop = EmbeddedEventLoop()
        let stats = LoopStats()
        let (first, late, never) = (try SigningKey.generate(.es256), try SigningKey.generate(.edDSA), try SigningKey.generate(.rs256))
        let served = [[first], [first], [first, late]]
        var fetches = 0
        let verifier = JWKSVerifier(loop: loop, stats: stats) {
            defer { fetches += 1 }
            return loop.makeSucceededFuture(self.jwks(served[min(fetches, served.count - 1)]))
        }
        _ = verifier.prime()
        loop.run()
        try verifier.check(responseBody: tokenResponse(signedBy: first))
        #expect(stats.activity.tokensVerified == 1 && fetches == 1)

        try verifier.check(responseBody: tokenResponse(signedBy: late))
        try verifier.check(responseBody: tokenResponse(signedBy: late))
        loop.run()
        #expect(fetches == 1)                                    // not before 250 ms after the last fetch
        loop.advanceTime(by: .milliseconds(250))
        #expect(fetches == 2 && stats.activity.tokensVerified == 1)   // still unknown: waiting
        loop.advanceTime(by: .milliseconds(250))
        #expect(fetches == 3 && stats.activity.tokensVerified == 3)
        #expect(stats.correctness.failedVerifications == 0)

        try verifier.check(responseBody: tokenResponse(signedBy: never))
        loop.advanceTime(by: .milliseconds(1_900))
        #expect(stats.correctness.failedVerifications == 0)
        let done = verifier.finish()
        loop.advanceTime(by: .seconds(1))
        #expect(stats.correctness.failedVerifications == 1)
        #expect(verifier.lastProblem?.contains("never appeared in the JWKS") == true)
        #expect(fetches <= 12, "\(fetches) fetches")              // 3, then one per 250 ms from 0.75 s to 2.5 s

        try done.wait()
    }

    @Test func badSignaturesAndMissingTokensFailAtOnce() throws {
        let key = try SigningKey.generate(.es256)
        let (_, stats, verifier) = primedVerifier(keys: [key])
        let impostor = try SigningKey.generate(.es256)
        let forged = try JWS.sign(header: JWS.protectedHeader(for: key), payload: Array("{}".utf8), with: impostor)
        verifier.check(responseBody: ByteBuffer(string: #"{"access_token":""# + String(decoding: forged, as: UTF8.self) + "\"}"))
        verifier.check(responseBody: ByteBuffer(string: #"{"refresh_token":"btr1.x"}"#))
        #expect(stats.correctness.failedVerifications == 2 && stats.activity.tokensVerified == 0)
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func verifiesEachAlgorithmWithTheKeyItsKidNames(_ algorithm: SigningAlgorithm) throws {
        let (key, other) = (try SigningKey.generate(algorithm), try SigningKey.generate(algorithm))
        let (_, stats, verifier) = primedVerifier(keys: [key, other])
        try verifier.check(responseBody: tokenResponse(signedBy: key))
        #expect(stats.activity.tokensVerified == 1 && stats.correctness.failedVerifications == 0)
        let forged = try JWS.sign(header: JWS.protectedHeader(for: key), payload: Array("{}".utf8), with: other)
        verifier.check(responseBody: tokenResponse(forged))
        #expect(stats.activity.tokensVerified == 1 && stats.correctness.failedVerifications == 1)
        #expect(verifier.lastProblem == "an access token signed by \(key.keyID) does not verify")
    }

    @Test func wrongAlgorithmsAndTamperedPayloadsFail() throws {
        let key = try SigningKey.generate(.es256)
        let (loop, stats, verifier) = primedVerifier(keys: [key])
        // Signed by an EdDSA key, but naming the ES256 key's kid.
        let impostor = try SigningKey.generate(.edDSA)
        let header = #"{"alg":"EdDSA","kid":""# + key.keyID + #""}"#
        verifier.check(responseBody: tokenResponse(try JWS.sign(header: Array(header.utf8), payload: Array("{}".utf8), with: impostor)))
        var tampered = try JWS.sign(header: JWS.protectedHeader(for: key), payload: Array(#"{"sub":"a"}"#.utf8), with: key)
        let payloadStart = try #require(tampered.firstIndex(of: UInt8(ascii: "."))) + 1
        tampered[payloadStart] = tampered[payloadStart] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        verifier.check(responseBody: tokenResponse(tampered))
        loop.run()
        #expect(stats.correctness.failedVerifications == 2 && stats.activity.tokensVerified == 0)
        #expect(stats.activity.jwksFetches == 1)
    }

    @Test func malformedTokensAndTokensWithoutAKidFailAtOnce() throws {
        let (loop, stats, verifier) = primedVerifier(keys: [try SigningKey.generate(.es256)])
        let noKid = Base64URL.encodeToString(Array(#"{"alg":"ES256"}"#.utf8)) + ".e30.AAAA"
        for token in ["not.a.jwt.at.all", "onlyone", noKid] {
            verifier.check(responseBody: tokenResponse(Array(token.utf8)))
        }
        loop.run()
        #expect(stats.correctness.failedVerifications == 3 && stats.activity.jwksFetches == 1)
        #expect(verifier.lastProblem == "a token response without a well-formed access token")
    }

    @Test func jwksImportSkipsKnownKidsAndRefusesNonsense() throws {
        let key = try SigningKey.generate(.edDSA)
        #expect(try JWKSet(json: Array(jwks([key]).body.readableBytesView), excluding: [key.keyID]).keys.isEmpty)
        #expect(throws: LoadError.self) { try JWKSet(json: Array("[]".utf8)) }
        let odd = try JWKSet(json: Array(#"{"keys":[{"kty":"oct","kid":"x","k":"AAAA"}]}"#.utf8))
        #expect(odd.keys.isEmpty && odd.skipped.count == 1)
    }
}
