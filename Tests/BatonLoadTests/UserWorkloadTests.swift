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
        let login = workload.play(R.json(503, #"{"error":"temporarily_unavailable"}"#), stats: stats)
        #expect(login.operation == .create && login.verdict == .unexpectedStatus)
        #expect(workload.play(R.token("e1", status: 201), stats: stats).operation == .create)
        #expect(workload.isSetUp && stats.activity.sessionsCreated == 2)
    }

    @Test func subjectsAreEscapedInTheSessionRequest() {
        let workload = UserWorkload(subjects: [#"a"b\c"#], behavior: RefreshBehavior())
        #expect(workload.nextJob(setup: true).request.hasSuffix(#","sub":"a\"b\\c"}"#))
    }
}
