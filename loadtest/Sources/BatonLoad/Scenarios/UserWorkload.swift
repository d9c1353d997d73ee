import NIOCore

/// The workload of every scenario whose users each have one request in flight at a time
/// (refresh, rotation, mixed, theft): a pool of users and a `UserBehavior` that decides each
/// user's next request. Free users wait in two first-in-first-out queues: those without a
/// session (they log in first, in the setup phase and whenever they lose it) and the others.
/// With DPoP, sessions are bound to each user's key and refreshes and logouts carry a proof.
final class UserWorkload<Behavior: UserBehavior>: Workload {
    private var users: [VirtualUser]
    private var withoutSession = CircularBuffer<Int>()
    private var free = CircularBuffer<Int>()
    private var missingSessions: Int
    private var behavior: Behavior
    private var random = FastRandom()
    private var proofs: DPoPProofWriter?

    /// Users named `subjects` without DPoP, none with a session yet.
    convenience init(subjects: [String], behavior: Behavior) {
        self.init(users: subjects.map { VirtualUser(subject: $0) }, behavior: behavior, proofs: nil)
    }

    /// `users`, none with a session yet; `proofs` writes the DPoP proofs of those with a key.
    init(users: [VirtualUser], behavior: Behavior, proofs: DPoPProofWriter?) {
        self.users = users
        self.proofs = proofs
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
            let user = users[index]
            templates.writeCreateSession(subjectJSON: user.subjectJSON, dpopThumbprint: user.dpopKey?.thumbprint, into: &buffer)
            return (index, .create)
        }
        let index = free.removeFirst()
        let user = users[index]
        let operation = behavior.nextOperation(for: user, random: &random)
        switch operation {
        case .create:
            templates.writeCreateSession(subjectJSON: user.subjectJSON, dpopThumbprint: user.dpopKey?.thumbprint, into: &buffer)
        case .introspect: templates.writeIntrospect(token: user.token, into: &buffer)
        case .revoke:
            let proof = proofs.proof(signedBy: behavior.proofKey(for: operation, of: user), for: .revocation, nonce: user.dpopNonce)
            templates.writeRevoke(token: user.token, proof: proof, into: &buffer)
        case .refresh, .replay, .victimRefresh:
            let proof = proofs.proof(signedBy: behavior.proofKey(for: operation, of: user), for: .token, nonce: user.dpopNonce)
            templates.writeRefresh(token: behavior.token(for: operation, of: user), proof: proof, into: &buffer)
        case .healthz: preconditionFailure("users do not send health checks")
        }
        return (index, operation)
    }

    func complete(user index: Int, operation: Operation, response: ParsedResponse, stats: LoopStats) -> Verdict {
        users[index].learnNonce(from: response)
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
            if verdict == .nonceChallenge { stats.activity.dpopNonceRetries += 1 }
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
