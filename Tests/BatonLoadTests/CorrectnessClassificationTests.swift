@testable import BatonLoad
import NIOCore
import Testing

/// Synthetic answers that must be counted as what they are: sessions logged out by a fault, 503s,
/// broken chains, storm divergences, missed theft detections.
@Suite struct CorrectnessClassificationTests {
    private typealias R = TestResponses

    @Test func refreshAnswers() {
        let presented = Array("t0".utf8)
        var successor: [UInt8] = []
        #expect(ResponseClassifier.refresh(R.token("t1"), presented: presented, successor: &successor) == .success)
        #expect(successor == Array("t1".utf8))
        #expect(ResponseClassifier.refresh(R.invalidGrant, presented: presented, successor: &successor) == .loggedOutByFault)
        #expect(ResponseClassifier.refresh(R.token("t0"), presented: presented, successor: &successor) == .brokenChain)
        #expect(ResponseClassifier.refresh(R.json(200, #"{"access_token":"a"}"#), presented: presented, successor: &successor) == .brokenChain)
        #expect(ResponseClassifier.refresh(R.json(400, #"{"error":"invalid_request"}"#), presented: presented, successor: &successor) == .unexpectedStatus)
        #expect(ResponseClassifier.refresh(R.unavailable, presented: presented, successor: &successor) == .unavailable)
        #expect(ResponseClassifier.refresh(R.json(503, "<html>503 Service Temporarily Unavailable</html>"), presented: presented, successor: &successor) == .unexpectedStatus)
        #expect(ResponseClassifier.refresh(R.json(500, #"{"error":"server_error"}"#), presented: presented, successor: &successor) == .unexpectedStatus)
    }

    @Test func aStoreAwayIsUnavailableForEveryOperation() {
        var token: [UInt8] = []
        #expect(ResponseClassifier.create(R.unavailable, token: &token) == .unavailable)
        #expect(ResponseClassifier.introspect(R.unavailable) == .unavailable)
        #expect(ResponseClassifier.revoke(R.unavailable) == .unavailable)
        #expect(ResponseClassifier.mustBeRefused(R.unavailable) == .unavailable)
        #expect(Verdict.unavailable.isInconclusive && Verdict.unexpectedStatus.isInconclusive)
        #expect(!Verdict.loggedOutByFault.isInconclusive && !Verdict.success.isInconclusive)
        var counters = CorrectnessCounters()
        counters.count(.unavailable)
        #expect(counters.unavailable == 1 && counters.loggedOutByFault == 0 && counters.unexpectedStatus == 0 && counters.total == 1)
    }

    @Test func introspectionCreationAndRevocation() {
        var token: [UInt8] = []
        #expect(ResponseClassifier.create(R.token("s0", status: 201), token: &token) == .success && token == Array("s0".utf8))
        #expect(ResponseClassifier.create(R.json(401, #"{"error":"invalid_client"}"#), token: &token) == .unexpectedStatus)
        #expect(ResponseClassifier.introspect(R.json(200, #"{"active":true,"token_type":"refresh_token"}"#)) == .success)
        #expect(ResponseClassifier.introspect(R.json(200, #"{"active":false}"#)) == .brokenChain)
        #expect(ResponseClassifier.revoke(R.json(200, "{}")) == .success)
    }

    @Test func invalidGrantForTheCurrentTokenIsALogoutByFault() {
        let workload = UserWorkload(subjects: ["alice"], behavior: RefreshBehavior())
        let stats = LoopStats()
        let create = workload.nextJob(setup: true)
        #expect(create.operation == .create && create.request.contains(#""sub":"alice""#))
        #expect(workload.complete(user: 0, operation: .create, response: R.token("t0", status: 201), stats: stats) == .success)
        #expect(workload.isSetUp)
        let refresh = workload.nextJob()
        #expect(refresh.operation == .refresh && refresh.request.hasSuffix("refresh_token=t0"))
        let verdict = workload.complete(user: 0, operation: .refresh, response: R.invalidGrant, stats: stats)
        stats.record(.refresh, latencyNanoseconds: 1_000, verdict: verdict)
        #expect(verdict == .loggedOutByFault)
        #expect(stats.correctness.loggedOutByFault == 1 && stats.correctness.total == 1)
        #expect(stats.activity.usersReplaced == 1)
        #expect(workload.nextJob().operation == .create)
    }

    @Test func divergentStormRoundIsCounted() {
        var round = StormRound(size: 3, presented: Array("t0".utf8))
        #expect(round.record(R.token("t1")) == .success)
        #expect(round.record(R.token("t1")) == .success)
        #expect(!round.isComplete)
        #expect(round.record(R.token("t2")) == .success)
        #expect(round.isComplete && round.diverged && !round.isConsistent)

        var refused = StormRound(size: 2, presented: Array("t0".utf8))
        #expect(refused.record(R.token("t1")) == .success)
        #expect(refused.record(R.invalidGrant) == .loggedOutByFault)
        #expect(!refused.isConsistent)

        var failingOver = StormRound(size: 2, presented: Array("t0".utf8))
        #expect(failingOver.record(R.token("t1")) == .success)
        #expect(failingOver.record(R.unavailable) == .unavailable)
        #expect(!failingOver.isComplete && !failingOver.diverged)
        #expect(failingOver.record(R.token("t1")) == .success)
        #expect(failingOver.isConsistent && failingOver.successor == Array("t1".utf8))
    }

    @Test func stormWorkloadContinuesFromTheCommonSuccessorAndCountsDivergence() {
        let workload = StormWorkload(subjects: ["bob"], size: 3)
        let stats = LoopStats()
        #expect(workload.nextJob(setup: true).operation == .create)
        #expect(!workload.hasWork(setup: true))
        _ = workload.complete(user: 0, operation: .create, response: R.token("t0", status: 201), stats: stats)
        for _ in 0..<3 { #expect(workload.nextJob().request.hasSuffix("refresh_token=t0")) }
        #expect(!workload.hasWork(setup: false))
        for _ in 0..<3 { _ = workload.complete(user: 0, operation: .refresh, response: R.token("t1"), stats: stats) }
        #expect(stats.activity.stormRounds == 1 && stats.correctness.stormDivergences == 0)
        for _ in 0..<3 { #expect(workload.nextJob().request.hasSuffix("refresh_token=t1")) }
        _ = workload.complete(user: 0, operation: .refresh, response: R.token("t2"), stats: stats)
        _ = workload.complete(user: 0, operation: .refresh, response: R.token("t2"), stats: stats)
        _ = workload.complete(user: 0, operation: .refresh, response: R.token("t3"), stats: stats)
        #expect(stats.correctness.stormDivergences == 1)
        #expect(workload.nextJob().operation == .create)
    }

    @Test func aStormRefreshAnswered503IsSentAgainInItsRound() {
        let workload = StormWorkload(subjects: ["bob"], size: 2)
        let stats = LoopStats()
        workload.play(R.token("t0", status: 201), stats: stats, setup: true)
        for _ in 0..<2 { #expect(workload.nextJob().request.hasSuffix("refresh_token=t0")) }
        #expect(workload.complete(user: 0, operation: .refresh, response: R.unavailable, stats: stats) == .unavailable)
        workload.abandon(user: 0, operation: .refresh)                       // a transport error
        for _ in 0..<2 { #expect(workload.nextJob().request.hasSuffix("refresh_token=t0")) }
        #expect(!workload.hasWork(setup: false))
        for _ in 0..<2 { _ = workload.complete(user: 0, operation: .refresh, response: R.token("t1"), stats: stats) }
        #expect(stats.activity.stormRounds == 1 && stats.correctness.stormDivergences == 0)
        #expect(stats.activity.usersReplaced == 0)
        #expect(workload.nextJob().request.hasSuffix("refresh_token=t1"))
    }

    @Test func acceptedReplayIsAMissedTheftDetection() {
        let workload = UserWorkload(subjects: ["carol"], behavior: TheftBehavior(rotations: 1))
        let stats = LoopStats()
        workload.play(R.token("t0", status: 201), stats: stats, setup: true)
        let rotation = workload.play(R.token("t1"), stats: stats)
        #expect(rotation.operation == .refresh && rotation.verdict == .success)
        let replay = workload.play(R.token("t2"), stats: stats)
        #expect(replay.operation == .replay && replay.request.hasSuffix("refresh_token=t0"))
        #expect(replay.verdict == .missedTheft)
        let victim = workload.play(R.token("t2"), stats: stats)
        #expect(victim.operation == .victimRefresh && victim.request.hasSuffix("refresh_token=t1"))
        #expect(victim.verdict == .missedTheft)
        #expect(stats.activity.theftAttempts == 1 && stats.activity.theftsDetected == 0)
        #expect(workload.nextJob().operation == .create)
    }

    @Test func refusedReplayAndDeadVictimAreADetection() {
        let workload = UserWorkload(subjects: ["dave"], behavior: TheftBehavior(rotations: 2))
        let stats = LoopStats()
        workload.play(R.token("t0", status: 201), stats: stats, setup: true)
        workload.play(R.token("t1"), stats: stats)
        workload.play(R.token("t2"), stats: stats)
        let replay = workload.play(R.invalidGrant, stats: stats)
        #expect(replay.operation == .replay && replay.request.hasSuffix("refresh_token=t0"))   // the session's first token
        #expect(replay.verdict == .success)
        let victim = workload.play(R.invalidGrant, stats: stats)
        #expect(victim.operation == .victimRefresh && victim.verdict == .success)
        #expect(stats.activity.theftsDetected == 1)
        #expect(stats.correctness.loggedOutByFault == 0 && stats.correctness.total == 0)   // deliberate: expected
        // The next session replays the token just rotated away instead of the first one.
        #expect(workload.play(R.token("u0", status: 201), stats: stats).operation == .create)
        workload.play(R.token("u1"), stats: stats)
        workload.play(R.token("u2"), stats: stats)
        #expect(workload.nextJob().request.hasSuffix("refresh_token=u1"))
    }
}
