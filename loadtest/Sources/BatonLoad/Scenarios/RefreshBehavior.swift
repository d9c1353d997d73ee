/// `refresh` (and `rotation`): every user rotates its own chain, forever.
struct RefreshBehavior: UserBehavior {
    private var scratch: [UInt8] = []

    mutating func nextOperation(for user: VirtualUser, random: inout FastRandom) -> Operation { .refresh }

    mutating func complete(_ operation: Operation, response: ParsedResponse, user: inout VirtualUser,
                           stats: LoopStats) -> Verdict {
        rotate(response, user: &user, scratch: &scratch, stats: stats)
    }
}
