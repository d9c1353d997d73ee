import NIOCore

/// One round of a same-token storm: `size` concurrent refreshes of one token. Within the grace
/// window every one must answer 200 with the same successor (DESIGN §3, invariant 3).
///
/// ```swift
/// var round = StormRound(size: 50, presented: token)
/// let verdict = round.record(response)       // per response
/// if round.isComplete { round.isConsistent ... round.successor }
/// ```
public struct StormRound: Sendable {
    /// How many refreshes the round sends.
    public let size: Int
    /// The token all of them present.
    public let presented: [UInt8]
    /// The successor the first successful answer carried.
    public private(set) var successor: [UInt8]?
    /// Answers so far; a 503 `temporarily_unavailable` or a DPoP nonce challenge is none (that
    /// refresh is sent again).
    public private(set) var answered = 0
    /// Whether any answer failed or carried another successor.
    public private(set) var diverged = false
    private var scratch: [UInt8] = []

    /// A round of `size` refreshes of `presented`.
    public init(size: Int, presented: [UInt8]) {
        self.size = size
        self.presented = presented
    }

    /// Whether every refresh of the round has been answered.
    public var isComplete: Bool { answered >= size }

    /// Whether the round is complete and all answers were 200 with the same successor.
    public var isConsistent: Bool { isComplete && !diverged && successor != nil }

    /// Records one answer and judges it alone; a different successor also marks the round diverged.
    /// A 503 `temporarily_unavailable` or a DPoP nonce challenge is judged but not recorded: the
    /// caller sends that refresh again.
    public mutating func record(_ response: ParsedResponse) -> Verdict {
        let verdict = ResponseClassifier.refresh(response, presented: presented, successor: &scratch)
        guard !verdict.repeatsRequest else { return verdict }
        answered += 1
        guard verdict == .success else {
            diverged = true
            return verdict
        }
        if let successor {
            if successor != scratch { diverged = true }
        } else {
            successor = scratch
        }
        return .success
    }
}
