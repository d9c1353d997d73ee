import NIOCore

/// The workload of every scenario whose users each have one request in flight at a time
/// (refresh, rotation, mixed, theft): a pool of users, free ones queued first in first out, and a
/// `UserBehavior` that decides each user's next request. Users without a session log in first.
final class UserWorkload<Behavior: UserBehavior>: Workload {
    private var users: [VirtualUser]
    private var free = CircularBuffer<Int>()
    private var behavior: Behavior
    private var random = FastRandom()
    private var withoutSession: Int

    /// Users named `subjects`, none with a session yet.
    init(subjects: [String], behavior: Behavior) {
        users = subjects.map(VirtualUser.init(subject:))
        withoutSession = users.count
        self.behavior = behavior
        free.reserveCapacity(users.count)
        for index in users.indices { free.append(index) }
    }

    var isSetUp: Bool { withoutSession == 0 }

    func hasWork(setup: Bool) -> Bool {
        guard let first = free.first else { return false }
        return !setup || !users[first].hasSession
    }

    func makeJob(setup: Bool, templates: RequestTemplates, into buffer: inout ByteBuffer) -> (user: Int, operation: Operation) {
        let index = free.removeFirst()
        let user = users[index]
        guard user.hasSession else {
            templates.writeCreateSession(subjectJSON: user.subjectJSON, into: &buffer)
            return (index, .create)
        }
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
        defer { free.append(index) }
        guard operation == .create else {
            let verdict = behavior.complete(operation, response: response, user: &users[index], stats: stats)
            if !users[index].hasSession { withoutSession += 1 }
            return verdict
        }
        let hadSession = users[index].hasSession
        let verdict = ResponseClassifier.create(response, token: &users[index].token)
        guard verdict == .success else { return verdict }   // the user keeps what it had and tries again
        users[index].rotations = 0
        users[index].sessions += 1
        stats.activity.sessionsCreated += 1
        if !hadSession { withoutSession -= 1 }
        return verdict
    }

    func abandon(user index: Int, operation: Operation) {
        free.append(index)
    }
}
