@testable import BatonLoad
import NIOCore
import Testing

@Suite struct UserWorkloadTests {
    private typealias R = TestResponses

    @Test func aLoginWithoutAnswerIsRetriedBeforeAnythingElse() {
        let workload = UserWorkload(subjects: ["a", "b"], behavior: RefreshBehavior())
        let stats = LoopStats()
        let first = workload.nextJob(setup: true)
        let second = workload.nextJob(setup: true)
        #expect(!workload.hasWork(setup: true))
        _ = workload.complete(user: first.user, operation: .create, response: R.token("a0", status: 201), stats: stats)
        workload.abandon(user: second.user, operation: .create)          // a transport error
        #expect(workload.hasWork(setup: true) && !workload.isSetUp)
        let retry = workload.nextJob(setup: true)
        #expect(retry.user == second.user && retry.operation == .create)
        _ = workload.complete(user: retry.user, operation: .create, response: R.token("b0", status: 201), stats: stats)
        #expect(workload.isSetUp && !workload.hasWork(setup: true) && workload.hasWork(setup: false))
    }

    @Test func aLoggedOutUserLogsInAgainUntilItWorks() {
        let workload = UserWorkload(subjects: ["e"], behavior: MixedBehavior(mix: OperationMix(weights: [.revoke: 1])))
        let stats = LoopStats()
        workload.play(R.token("e0", status: 201), stats: stats, setup: true)
        let revoke = workload.play(R.json(200, "{}"), stats: stats)
        #expect(revoke.operation == .revoke && revoke.request.hasSuffix("client_id=app&token=e0"))
        #expect(!workload.isSetUp)
        let login = workload.play(R.unavailable, stats: stats)
        #expect(login.operation == .create && login.verdict == .unavailable)
        #expect(workload.play(R.token("e1", status: 201), stats: stats).operation == .create)
        #expect(workload.isSetUp && stats.activity.sessionsCreated == 2)
    }

    @Test func a503OrATransportErrorKeepsTheChain() {
        let workload = UserWorkload(subjects: ["f"], behavior: RefreshBehavior())
        let stats = LoopStats()
        workload.play(R.token("f0", status: 201), stats: stats, setup: true)
        let unavailable = workload.play(R.unavailable, stats: stats)
        #expect(unavailable.request.hasSuffix("refresh_token=f0") && unavailable.verdict == .unavailable)
        let lost = workload.nextJob()
        #expect(lost.operation == .refresh && lost.request.hasSuffix("refresh_token=f0"))
        workload.abandon(user: lost.user, operation: lost.operation)          // a transport error
        let retried = workload.play(R.token("f1"), stats: stats)
        #expect(retried.request.hasSuffix("refresh_token=f0") && retried.verdict == .success)
        #expect(workload.nextJob().request.hasSuffix("refresh_token=f1"))
        #expect(stats.correctness.unavailable == 1 && stats.correctness.loggedOutByFault == 0)
        #expect(stats.activity.usersReplaced == 0 && stats.activity.sessionsCreated == 1)
    }

    @Test func aRetryRefusedAfterA503IsALogoutByFault() {
        let workload = UserWorkload(subjects: ["g"], behavior: RefreshBehavior())
        let stats = LoopStats()
        workload.play(R.token("g0", status: 201), stats: stats, setup: true)
        workload.play(R.unavailable, stats: stats)
        let refused = workload.play(R.invalidGrant, stats: stats)
        #expect(refused.request.hasSuffix("refresh_token=g0") && refused.verdict == .loggedOutByFault)
        #expect(stats.correctness.loggedOutByFault == 1 && stats.activity.usersReplaced == 1)
        #expect(workload.nextJob().operation == .create)
    }

    @Test func aTheftReplayAnswered503IsReplayedAgain() {
        let workload = UserWorkload(subjects: ["h"], behavior: TheftBehavior(rotations: 1))
        let stats = LoopStats()
        workload.play(R.token("h0", status: 201), stats: stats, setup: true)
        workload.play(R.token("h1"), stats: stats)
        let replay = workload.play(R.unavailable, stats: stats)
        #expect(replay.operation == .replay && replay.verdict == .unavailable)
        let again = workload.play(R.invalidGrant, stats: stats)
        #expect(again.operation == .replay && again.request.hasSuffix("refresh_token=h0") && again.verdict == .success)
        let victim = workload.play(R.unavailable, stats: stats)
        #expect(victim.operation == .victimRefresh && victim.request.hasSuffix("refresh_token=h1"))
        #expect(workload.play(R.invalidGrant, stats: stats).operation == .victimRefresh)
        #expect(workload.nextJob().operation == .create)
        #expect(stats.correctness.unavailable == 2 && stats.correctness.loggedOutByFault == 0 && stats.activity.theftsDetected == 1)
    }

    @Test func subjectsAreEscapedInTheSessionRequest() {
        let workload = UserWorkload(subjects: [#"a"b\c"#], behavior: RefreshBehavior())
        #expect(workload.nextJob(setup: true).request.hasSuffix(#","sub":"a\"b\\c"}"#))
    }
}
