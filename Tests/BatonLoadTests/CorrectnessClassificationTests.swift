@testable import BatonLoad
import NIOCore
import Testing

/// Synthetic answers that must be counted as what they are: false reuse detections, broken
/// chains, storm divergences, missed theft detections.
@Suite struct CorrectnessClassificationTests {
    private typealias R = TestResponses

    @Test func refreshAnswers() {
        let presented = Array("t0".utf8)
        var successor: [UInt8] = []
        #expect(ResponseClassifier.refresh(R.token("t1"), presented: presented, successor: &successor) == .success)
        #expect(successor == Array("t1".utf8))
        #expect(ResponseClassifier.refresh(R.invalidGrant, presented: presented, successor: &successor) == .falseReuse)
        #expect(ResponseClassifier.refresh(R.token("t0"), presented: presented, successor: &successor) == .brokenChain)
        #expect(ResponseClassifier.refresh(R.json(200, #"{"access_token":"a"}"#), presented: presented, successor: &successor) == .brokenChain)
        #expect(ResponseClassifier.refresh(R.json(400, #"{"error":"invalid_request"}"#), presented: presented, successor: &successor) == .unexpectedStatus)
        #expect(ResponseClassifier.refresh(R.json(503, #"{"error":"temporarily_unavailable"}"#), presented: presented, successor: &successor) == .unexpectedStatus)
    }

    @Test func introspectionCreationAndRevocation() {
        var token: [UInt8] = []
        #expect(ResponseClassifier.create(R.token("s0", status: 201), token: &token) == .success && token == Array("s0".utf8))
        #expect(ResponseClassifier.create(R.json(401, #"{"error":"invalid_client"}"#), token: &token) == .unexpectedStatus)
        #expect(ResponseClassifier.introspect(R.json(200, #"{"active":true,"token_type":"refresh_token"}"#)) == .success)
        #expect(ResponseClassifier.introspect(R.json(200, #"{"active":false}"#)) == .brokenChain)
        #expect(ResponseClassifier.revoke(R.json(200, "{}")) == .success)
    }

    @Test func falseReuseDetectionEndsTheSessionAndIsCounted() {
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
        #expect(verdict == .falseReuse)
        #expect(stats.correctness.falseReuseDetections == 1 && stats.correctness.total == 1)
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
        #expect(refused.record(R.invalidGrant) == .falseReuse)
        #expect(!refused.isConsistent)
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
        // The next session replays the token just rotated away instead of the first one.
        #expect(workload.play(R.token("u0", status: 201), stats: stats).operation == .create)
        workload.play(R.token("u1"), stats: stats)
        workload.play(R.token("u2"), stats: stats)
        #expect(workload.nextJob().request.hasSuffix("refresh_token=u1"))
    }
}
