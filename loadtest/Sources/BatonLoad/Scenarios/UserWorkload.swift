import NIOCore

/// The workload of every scenario whose users each have one request in flight at a time
/// (refresh, rotation, mixed, theft): a pool of users and a `UserBehavior` that decides each
/// user's next request. Free users wait in two first-in-first-out queues: those without a
/// session (they log in first, in the setup phase and whenever they lose it) and the others.
final class UserWorkload<Behavior: UserBehavior>: Workload {
    private var users: [VirtualUser]
    private var withoutSession = CircularBuffer<Int>()
    private var free = CircularBuffer<Int>()
    private var missingSessions: Int
    private var behavior: Behavior
    private var random = FastRandom()

    /// Users named `subjects`, none with a session yet.
    init(subjects: [String], behavior: Behavior) {
        users = subjects.map(VirtualUser.init(subject:))
        missingSessions = users.count
        self.behavior = behavior
        withoutSession.reserveCapacity(users.count)
        free.reserveCapacity(users.count)
        for index in users.indices { withoutSession.append(index) }
    }

    var isSetUp: Bool { missingSessions == 0 }

    func hasWork(setup: Bool) -> Bool {
        !withoutSession.isEmpty || (!setup && !free.isEmpty)
    }

    func makeJob(setup: Bool, templates: RequestTemplates, into buffer: inout ByteBuffer) -> (user: Int, operation: Operation) {
        if let index = withoutSession.popFirst() {
            templates.writeCreateSession(subjectJSON: users[index].subjectJSON, into: &buffer)
            return (index, .create)
        }
        let index = free.removeFirst()
        let user = users[index]
        let operation = behavior.nextOperation(for: user, random: &random)
        switch operation {
        case .create: templates.writeCreateSession(subjectJSON: user.subjectJSON, into: &buffer)
        case .introspect: templates.writeIntrospect(token: user.token, into: &buffer)
        case .revoke: templates.writeRevoke(token: user.token, into: &buffer)
        case .refresh, .replay, .victimRefresh:
            templates.writeRefresh(token: behavior.token(for: operation, of: user), into: &buffer)
        case .healthz: preconditionFailure("users do not send health checks")
        }
        return (index, operation)
    }

    func complete(user index: Int, operation: Operation, response: ParsedResponse, stats: LoopStats) -> Verdict {
        let hadSession = users[index].hasSession
        let verdict: Verdict
        if operation == .create {
            verdict = ResponseClassifier.create(response, token: &users[index].token)
            if verdict == .success {
                users[index].rotations = 0
                users[index].sessions += 1
                stats.activity.sessionsCreated += 1
            }
        } else {
            verdict = behavior.complete(operation, response: response, user: &users[index], stats: stats)
        }
        if hadSession != users[index].hasSession { missingSessions += hadSession ? 1 : -1 }
        release(index)
        return verdict
    }

    func abandon(user index: Int, operation: Operation) {
        release(index)
    }

    private func release(_ index: Int) {
        if users[index].hasSession { free.append(index) } else { withoutSession.append(index) }
    }
}
