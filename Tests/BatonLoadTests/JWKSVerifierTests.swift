@testable import BatonLoad
import BatonCrypto
import NIOCore
import NIOEmbedded
import Testing

/// The resource-server side of the rotation scenario on a virtual clock: unknown kids trigger
/// rate-limited refetches, late keys are waited for, missing keys and bad signatures fail.
@Suite struct JWKSVerifierTests {
    private func tokenResponse(signedBy key: SigningKey) throws -> ByteBuffer {
        let token = try JWS.sign(header: JWS.protectedHeader(for: key, type: "at+jwt"), payload: Array(#"{"sub":"a"}"#.utf8), with: key)
        return ByteBuffer(string: #"{"access_token":""# + String(decoding: token, as: UTF8.self) + #"","refresh_token":"btr1.x"}"#)
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
        let loop = EmbeddedEventLoop()
        let stats = LoopStats()
        let key = try SigningKey.generate(.es256)
        let verifier = JWKSVerifier(loop: loop, stats: stats) { loop.makeSucceededFuture(self.jwks([key])) }
        _ = verifier.prime()
        loop.run()
        let impostor = try SigningKey.generate(.es256)
        let forged = try JWS.sign(header: JWS.protectedHeader(for: key), payload: Array("{}".utf8), with: impostor)
        verifier.check(responseBody: ByteBuffer(string: #"{"access_token":""# + String(decoding: forged, as: UTF8.self) + "\"}"))
        verifier.check(responseBody: ByteBuffer(string: #"{"refresh_token":"btr1.x"}"#))
        #expect(stats.correctness.failedVerifications == 2 && stats.activity.tokensVerified == 0)
    }
}
