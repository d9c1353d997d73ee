@testable import BatonLoad
import BatonCrypto
import Foundation
import NIOCore
import Testing

/// The scenarios with `--dpop`, on synthetic answers: sessions bound to each user's key, a proof of
/// its own on every refresh and logout, nonce challenges answered, and the theft scenario's thief
/// without the key, whose refusals leave the family alive.
@Suite struct DPoPWorkloadTests {
    private typealias R = TestResponses
    private static let endpoints = DPoPEndpoints(token: "http://127.0.0.1:8080/oauth/token", revocation: "http://127.0.0.1:8080/oauth/revoke")

    private func workload<Behavior: UserBehavior>(_ behavior: Behavior, subjects: [String] = ["alice"]) throws -> UserWorkload<Behavior> {
        UserWorkload(users: try VirtualUser.make(subjects: subjects, dpop: true), behavior: behavior,
                     proofs: try DPoPProofWriter(endpoints: Self.endpoints))
    }

    /// The request's `DPoP` header value, or nil.
    private func dpopHeader(in request: String) -> String? {
        request.split(separator: "\r\n").first { $0.hasPrefix("DPoP: ") }.map { String($0.dropFirst("DPoP: ".count)) }
    }

    /// The claims of the request's proof.
    private func claims(in request: String) throws -> [String: Any] {
        let proof = try #require(dpopHeader(in: request))
        let part = proof.split(separator: ".")[1]
        return try #require(try JSONSerialization.jsonObject(with: Data(try Base64URL.decode(part.utf8))) as? [String: Any])
    }

    /// The `jwk` thumbprint of the request's proof.
    private func signer(in request: String) throws -> String {
        let proof = try #require(dpopHeader(in: request))
        let header = try #require(try JSONSerialization.jsonObject(with: Data(try Base64URL.decode(proof.split(separator: ".")[0].utf8)))
            as? [String: Any])
        let jwk = try JWK(json: try JSONSerialization.data(withJSONObject: try #require(header["jwk"])))
        return try jwk.thumbprint()
    }

    /// The request's declared `Content-Length` equals its body's length.
    private func isFramed(_ request: String) -> Bool {
        let parts = request.components(separatedBy: "\r\n\r\n")
        guard parts.count == 2, let line = parts[0].split(separator: "\r\n").first(where: { $0.hasPrefix("Content-Length: ") }) else { return false }
        return Int(line.dropFirst("Content-Length: ".count)) == parts[1].utf8.count
    }

    @Test func sessionsAreBoundAndRefreshesCarryAProofOfTheUsersKey() throws {
        let workload = try workload(RefreshBehavior())
        let stats = LoopStats()
        let create = workload.play(R.token("t0", status: 201), stats: stats, setup: true)
        let body = try #require(create.request.components(separatedBy: "\r\n\r\n").last)
        let session = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: String])
        let jkt = try #require(session["dpop_jkt"])
        #expect(session["sub"] == "alice" && jkt.utf8.count == 43 && isFramed(create.request))
        var jtis: Set<String> = []
        for (index, next) in ["t1", "t2", "t3"].enumerated() {
            let refresh = workload.play(R.token(next), stats: stats)
            #expect(refresh.operation == .refresh && refresh.verdict == .success && isFramed(refresh.request))
            #expect(refresh.request.hasSuffix("refresh_token=t\(index)"))
            #expect(try signer(in: refresh.request) == jkt)
            let claims = try claims(in: refresh.request)
            #expect(claims["htu"] as? String == Self.endpoints.token && claims["htm"] as? String == "POST" && claims["nonce"] == nil)
            jtis.insert(try #require(claims["jti"] as? String))
        }
        #expect(jtis.count == 3)
    }

    @Test func aNonceChallengeIsAnsweredWithTheNonceAndCounted() throws {
        let workload = try workload(RefreshBehavior())
        let stats = LoopStats()
        workload.play(R.token("t0", status: 201), stats: stats, setup: true)
        let challenged = workload.play(R.useDPoPNonce("nonce-1"), stats: stats)
        #expect(challenged.verdict == .nonceChallenge && !challenged.verdict.isFailure)
        let retried = workload.play(R.token("t1"), stats: stats)
        #expect(retried.request.hasSuffix("refresh_token=t0"), "the same token again")
        #expect(try claims(in: retried.request)["nonce"] as? String == "nonce-1")
        #expect(stats.activity.dpopNonceRetries == 1 && stats.correctness.total == 0)
        // A fresh nonce on a 200 is used from then on.
        var rotated = R.token("t2")
        rotated.dpopNonce = ByteBuffer(string: "nonce-2")
        workload.play(rotated, stats: stats)
        #expect(try claims(in: workload.nextJob().request)["nonce"] as? String == "nonce-2")
        // A challenge without a DPoP-Nonce header cannot be answered: unexpected.
        var bare = R.useDPoPNonce("x")
        bare.dpopNonce = nil
        #expect(ResponseClassifier.otherStatus(bare) == .unexpectedStatus)
    }

    @Test func logoutsCarryAProofForTheRevocationEndpoint() throws {
        let workload = try workload(MixedBehavior(mix: OperationMix(weights: [.revoke: 1])))
        let stats = LoopStats()
        workload.play(R.token("t0", status: 201), stats: stats, setup: true)
        let revoke = workload.play(R.json(200, "{}"), stats: stats)
        #expect(revoke.operation == .revoke && isFramed(revoke.request))
        #expect(try claims(in: revoke.request)["htu"] as? String == Self.endpoints.revocation)
    }

    @Test func aThiefWithoutTheKeyIsRefusedTwiceAndTheFamilyLives() throws {
        let thief = try DPoPKey.generate()
        let workload = try workload(TheftBehavior(rotations: 2, thiefKey: thief))
        let stats = LoopStats()
        let create = workload.play(R.token("t0", status: 201), stats: stats, setup: true)
        let jkt = try #require(create.request.components(separatedBy: #""dpop_jkt":""#).last?.prefix(43))
        workload.play(R.token("t1"), stats: stats)
        workload.play(R.token("t2"), stats: stats)
        // First session: the thief has the current token.
        let bare = workload.play(R.invalidDPoPProof, stats: stats)
        #expect(bare.operation == .replay && bare.request.hasSuffix("refresh_token=t2") && dpopHeader(in: bare.request) == nil)
        let forged = workload.play(R.invalidDPoPProof, stats: stats)
        #expect(forged.operation == .replay && forged.request.hasSuffix("refresh_token=t2"))
        #expect(try signer(in: forged.request) == String(decoding: thief.thumbprint, as: UTF8.self))
        let victim = workload.play(R.token("t3"), stats: stats)
        #expect(victim.operation == .victimRefresh && victim.verdict == .success && victim.request.hasSuffix("refresh_token=t2"))
        #expect(try signer(in: victim.request) == String(jkt))
        #expect(stats.activity.theftAttempts == 2 && stats.activity.stolenTokensRefused == 2 && stats.activity.familiesLeftAlive == 1)
        #expect(stats.activity.theftsDetected == 0 && stats.correctness.total == 0)
        // Second session: the thief has the token just rotated away.
        #expect(workload.play(R.token("u0", status: 201), stats: stats).operation == .create)
        workload.play(R.token("u1"), stats: stats)
        workload.play(R.token("u2"), stats: stats)
        #expect(workload.nextJob().request.hasSuffix("refresh_token=u1"))
    }

    @Test func aTheftThatSucceedsOrKillsTheFamilyFailsTheRun() throws {
        let workload = try workload(TheftBehavior(rotations: 1, thiefKey: try DPoPKey.generate()))
        let stats = LoopStats()
        workload.play(R.token("t0", status: 201), stats: stats, setup: true)
        workload.play(R.token("t1"), stats: stats)
        #expect(workload.play(R.token("stolen"), stats: stats).verdict == .missedTheft)
        #expect(workload.play(R.invalidGrant, stats: stats).verdict == .familyKilled)
        #expect(workload.play(R.invalidGrant, stats: stats).verdict == .familyKilled)   // the user's refresh: dead
        #expect(stats.correctness.missedTheftDetections == 1 && stats.correctness.familiesKilled == 2)
        #expect(stats.activity.familiesLeftAlive == 0 && stats.correctness.total == 3)
        #expect(workload.nextJob().operation == .create)
    }

    @Test func everyRefreshOfAStormRoundCarriesItsOwnProof() throws {
        let workload = StormWorkload(users: try VirtualUser.make(subjects: ["bob"], dpop: true), size: 3,
                                     proofs: try DPoPProofWriter(endpoints: Self.endpoints))
        let stats = LoopStats()
        let create = workload.play(R.token("t0", status: 201), stats: stats, setup: true)
        #expect(create.request.contains(#""dpop_jkt":""#))
        let requests = (0..<3).map { _ in workload.nextJob().request }
        #expect(Set(try requests.map { try #require(try claims(in: $0)["jti"] as? String) }).count == 3)
        #expect(workload.complete(user: 0, operation: .refresh, response: R.useDPoPNonce("n1"), stats: stats) == .nonceChallenge)
        #expect(try claims(in: workload.nextJob().request)["nonce"] as? String == "n1", "sent again in its round, with the nonce")
        for _ in 0..<3 { _ = workload.complete(user: 0, operation: .refresh, response: R.token("t1"), stats: stats) }
        #expect(stats.activity.stormRounds == 1 && stats.activity.dpopNonceRetries == 1 && stats.correctness.total == 0)
    }
}
