/// `theft`: each user rotates `rotations` times, then a thief presents a stolen token. Then the
/// user logs in again and the cycle repeats. The client has a grace window of 0.
///
/// - Bearer sessions: the thief replays a rotated token (the session's first token, or the one
///   just rotated away, in turn). Baton must refuse it with `invalid_grant` and revoke the family,
///   so the legitimate user's current token must then fail too.
/// - DPoP-bound sessions (`thiefKey` set): the thief holds the token but not the user's key. It
///   presents the stolen token (the user's current one, or the one just rotated away, in turn)
///   twice: with no proof, then with a proof signed by its own key. Both must be refused with
///   `invalid_dpop_proof`, revoking nothing, so the user's next refresh must succeed: the family
///   is left alive (DESIGN.md §5b).
struct TheftBehavior: UserBehavior {
    /// Legitimate rotations before each theft (at least 1).
    let rotations: Int
    /// The thief's own DPoP key, when the sessions are DPoP-bound.
    let thiefKey: DPoPKey?
    private var scratch: [UInt8] = []

    init(rotations: Int, thiefKey: DPoPKey? = nil) {
        precondition(rotations >= 1, "a replay needs a rotated token")
        self.rotations = rotations
        self.thiefKey = thiefKey
    }

    /// The thief's requests per theft: one replay, or with DPoP one without a proof and one with its key.
    private var attempts: Int { thiefKey == nil ? 1 : 2 }

    mutating func nextOperation(for user: VirtualUser, random: inout FastRandom) -> Operation {
        switch user.rotations {
        case ..<rotations: .refresh
        case rotations..<(rotations + attempts): .replay
        default: .victimRefresh
        }
    }

    /// The thief presents the session's first token or the one just rotated away (bearer), or the
    /// user's current token or the one just rotated away (DPoP), in turn.
    func token(for operation: Operation, of user: VirtualUser) -> [UInt8] {
        guard operation == .replay else { return user.token }
        if user.sessions % 2 == 0 { return user.previous }
        return thiefKey == nil ? user.first : user.token
    }

    /// The thief's first request carries no proof, its second one signed by its own key.
    func proofKey(for operation: Operation, of user: VirtualUser) -> DPoPKey? {
        guard operation == .replay else { return user.dpopKey }
        return user.rotations == rotations ? nil : thiefKey
    }

    mutating func complete(_ operation: Operation, response: ParsedResponse, user: inout VirtualUser,
                           stats: LoopStats) -> Verdict {
        switch operation {
        case .replay:
            stats.activity.theftAttempts += 1
            let verdict = thiefKey == nil ? ResponseClassifier.mustBeRefused(response) : ResponseClassifier.mustBeRefusedWithoutKey(response)
            if verdict == .success, thiefKey != nil { stats.activity.stolenTokensRefused += 1 }
            if !verdict.isInconclusive { user.rotations += 1 }
            return verdict
        case .victimRefresh where thiefKey != nil:
            let verdict = rotate(response, user: &user, scratch: &scratch, stats: stats)
            if verdict == .success { stats.activity.familiesLeftAlive += 1 }
            if !verdict.isInconclusive { user.dropSession() }
            return verdict == .loggedOutByFault ? .familyKilled : verdict
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
