import NIOCore

/// `storm`: each user's token is refreshed by `size` requests at once (on `size` connections);
/// all must answer 200 with the same successor (the grace window), and the next round presents
/// that successor. A divergent round ends the user's session; it logs in again. A refresh
/// answered 503 `temporarily_unavailable`, a DPoP nonce challenge, or lost to a transport error is
/// sent again in its round. With DPoP every refresh of a round carries a proof of its own (its own
/// `jti`) for the user's key.
final class StormWorkload: Workload {
    private var users: [VirtualUser]
    private var rounds: [StormRound?]
    private var dispatched: [Int]
    private var busy: [Bool]
    private let size: Int
    private var withoutSession: Int
    private var proofs: DPoPProofWriter?

    /// `subjects.count` users without DPoP whose tokens are stormed by `size` concurrent refreshes.
    convenience init(subjects: [String], size: Int) {
        self.init(users: subjects.map { VirtualUser(subject: $0) }, size: size, proofs: nil)
    }

    /// `users` whose tokens are stormed by `size` concurrent refreshes; `proofs` writes the DPoP
    /// proofs of those with a key.
    init(users: [VirtualUser], size: Int, proofs: DPoPProofWriter?) {
        self.users = users
        self.proofs = proofs
        rounds = Array(repeating: nil, count: users.count)
        dispatched = Array(repeating: 0, count: users.count)
        busy = Array(repeating: false, count: users.count)
        withoutSession = users.count
        self.size = size
    }

    var isSetUp: Bool { withoutSession == 0 }

    func hasWork(setup: Bool) -> Bool { nextUser(setup: setup) != nil }

    /// A user with a request to send: one without a session (not already logging in), or one
    /// whose round still has refreshes to send.
    private func nextUser(setup: Bool) -> Int? {
        users.indices.first { index in
            guard users[index].hasSession else { return !busy[index] }
            return !setup && dispatched[index] < size
        }
    }

    func makeJob(setup: Bool, templates: RequestTemplates, into buffer: inout ByteBuffer) -> (user: Int, operation: Operation) {
        guard let index = nextUser(setup: setup) else { preconditionFailure("makeJob follows hasWork") }
        let user = users[index]
        guard user.hasSession else {
            busy[index] = true
            templates.writeCreateSession(subjectJSON: user.subjectJSON, dpopThumbprint: user.dpopKey?.thumbprint, into: &buffer)
            return (index, .create)
        }
        if rounds[index] == nil { rounds[index] = StormRound(size: size, presented: user.token) }
        dispatched[index] += 1
        templates.writeRefresh(token: user.token, proof: proofs.proof(signedBy: user.dpopKey, for: .token, nonce: user.dpopNonce),
                               into: &buffer)
        return (index, .refresh)
    }

    func complete(user index: Int, operation: Operation, response: ParsedResponse, stats: LoopStats) -> Verdict {
        users[index].learnNonce(from: response)
        guard operation == .refresh, rounds[index] != nil else {
            busy[index] = false
            let verdict = ResponseClassifier.create(response, token: &users[index].token)
            if verdict == .success {
                withoutSession -= 1
                stats.activity.sessionsCreated += 1
            }
            return verdict
        }
        let verdict = rounds[index]!.record(response)
        if verdict.repeatsRequest { dispatched[index] -= 1 }
        if verdict == .nonceChallenge { stats.activity.dpopNonceRetries += 1 }
        guard let round = rounds[index], round.isComplete else { return verdict }
        rounds[index] = nil
        dispatched[index] = 0
        stats.activity.stormRounds += 1
        if round.isConsistent, let successor = round.successor {
            users[index].token = successor
        } else {
            stats.count { $0.stormDivergences += 1 }
            users[index].dropSession()
            withoutSession += 1
            stats.activity.usersReplaced += 1
        }
        return verdict
    }

    func abandon(user index: Int, operation: Operation) {
        if operation == .create { busy[index] = false } else { dispatched[index] -= 1 }
    }
}
