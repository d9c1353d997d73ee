/// `theft`: each user rotates `rotations` times, then a thief replays a rotated token (the
/// session's first token, or the one just rotated away, in turn). Baton must refuse it with
/// `invalid_grant` and revoke the family, so the legitimate user's current token must then fail
/// too. Then the user logs in again and the cycle repeats. The client has a grace window of 0.
struct TheftBehavior: UserBehavior {
    /// Legitimate rotations before each replay (at least 1).
    let rotations: Int
    private var scratch: [UInt8] = []

    init(rotations: Int) {
        precondition(rotations >= 1, "a replay needs a rotated token")
        self.rotations = rotations
    }

    mutating func nextOperation(for user: VirtualUser, random: inout FastRandom) -> Operation {
        switch user.rotations {
        case ..<rotations: .refresh
        case rotations: .replay
        default: .victimRefresh
        }
    }

    /// The thief replays the session's first token or the one just rotated away, in turn.
    func token(for operation: Operation, of user: VirtualUser) -> [UInt8] {
        guard operation == .replay else { return user.token }
        return user.sessions % 2 == 1 ? user.first : user.previous
    }

    mutating func complete(_ operation: Operation, response: ParsedResponse, user: inout VirtualUser,
                           stats: LoopStats) -> Verdict {
        switch operation {
        case .replay:
            stats.activity.theftAttempts += 1
            let verdict = ResponseClassifier.mustBeRefused(response)
            if !verdict.isInconclusive { user.rotations += 1 }
            return verdict
        case .victimRefresh:
            let verdict = ResponseClassifier.mustBeRefused(response)
            if verdict == .success { stats.activity.theftsDetected += 1 }
            if !verdict.isInconclusive { user.dropSession() }
            return verdict
        default:
            let verdict = rotate(response, user: &user, scratch: &scratch, stats: stats)
            if verdict == .success, user.rotations == 1 { user.first = user.previous }
            return verdict
        }
    }
}
