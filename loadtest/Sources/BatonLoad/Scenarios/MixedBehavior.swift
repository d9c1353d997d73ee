/// `mixed`: logins, refreshes, introspections and logouts in the ratios of an `OperationMix`.
/// A login replaces the user's session; a logged-out user logs in again next.
struct MixedBehavior: UserBehavior {
    let mix: OperationMix
    private var scratch: [UInt8] = []

    init(mix: OperationMix) {
        self.mix = mix
    }

    mutating func nextOperation(for user: VirtualUser, random: inout FastRandom) -> Operation {
        mix.pick(random.unit())
    }

    mutating func complete(_ operation: Operation, response: ParsedResponse, user: inout VirtualUser,
                           stats: LoopStats) -> Verdict {
        switch operation {
        case .introspect:
            let verdict = ResponseClassifier.introspect(response)
            if verdict == .brokenChain {
                user.dropSession()
                stats.activity.usersReplaced += 1
            }
            return verdict
        case .revoke:
            let verdict = ResponseClassifier.revoke(response)
            if verdict == .success { user.dropSession() }
            return verdict
        default:
            return rotate(response, user: &user, scratch: &scratch, stats: stats)
        }
    }
}
