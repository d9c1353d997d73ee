/// What one scenario makes a user with a session do next, and how the answers move it on.
/// Session creation and the bookkeeping of free and busy users are `UserWorkload`'s.
protocol UserBehavior {
    /// The operation of the user's next request (the user holds a session).
    mutating func nextOperation(for user: VirtualUser, random: inout FastRandom) -> Operation
    /// Judges the answer to `operation` (never `.create`) and advances the user.
    mutating func complete(_ operation: Operation, response: ParsedResponse, user: inout VirtualUser,
                           stats: LoopStats) -> Verdict
    /// The refresh token the request of `operation` presents.
    func token(for operation: Operation, of user: VirtualUser) -> [UInt8]
    /// The key that signs the DPoP proof of `operation`'s request, or nil to send none.
    func proofKey(for operation: Operation, of user: VirtualUser) -> DPoPKey?
}

extension UserBehavior {
    /// The user's current token.
    func token(for operation: Operation, of user: VirtualUser) -> [UInt8] { user.token }

    /// The user's own key (nil without `--dpop`).
    func proofKey(for operation: Operation, of user: VirtualUser) -> DPoPKey? { user.dpopKey }

    /// A rotation of the user's token: on success the successor becomes current and the
    /// presented token `previous`; a refused or broken chain drops the session (the user logs in
    /// again and is counted as replaced); after any other answer (a 503, a DPoP nonce challenge)
    /// the user presents the same token again.
    func rotate(_ response: ParsedResponse, user: inout VirtualUser, scratch: inout [UInt8], stats: LoopStats) -> Verdict {
        let verdict = ResponseClassifier.refresh(response, presented: user.token, successor: &scratch)
        switch verdict {
        case .success:
            swap(&user.token, &scratch)
            swap(&user.previous, &scratch)
            user.rotations += 1
        case .loggedOutByFault, .brokenChain:
            user.dropSession()
            stats.activity.usersReplaced += 1
        case .unexpectedStatus, .unavailable, .nonceChallenge, .missedTheft, .familyKilled:
            break
        }
        return verdict
    }
}
