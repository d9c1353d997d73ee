import BatonCore

/// One simulated user: a subject, the refresh-token chain of its current session and, with
/// `--dpop`, the key its sessions are bound to and the last DPoP nonce the server gave it.
struct VirtualUser {
    /// The subject as a JSON string literal, ready for `POST /v1/sessions`.
    let subjectJSON: [UInt8]
    /// The user's DPoP key (`--dpop`): its sessions are bound to it and its proofs signed with it.
    let dpopKey: DPoPKey?
    /// The last `DPoP-Nonce` the server sent the user (RFC 9449 §8), put in its next proofs; empty
    /// until one arrives.
    var dpopNonce: [UInt8] = []
    /// The current refresh token; empty when the user has no session (it logs in next).
    var token: [UInt8] = []
    /// The token the last rotation replaced (the theft scenario replays it, or `first`).
    var previous: [UInt8] = []
    /// The first token of the session (theft scenario).
    var first: [UInt8] = []
    /// Rotations since the session was created (theft scenario's progress).
    var rotations = 0
    /// Sessions this user has had (theft scenario alternates what it replays).
    var sessions = 0

    /// A user named `subject`, with a DPoP key when given one.
    init(subject: String, dpopKey: DPoPKey? = nil) {
        var json: [UInt8] = []
        JSONWriter.appendString(subject.utf8, to: &json)
        subjectJSON = json
        self.dpopKey = dpopKey
    }

    /// Users named `subjects`, each with a new DPoP key of its own when `dpop`.
    static func make(subjects: [String], dpop: Bool) throws -> [VirtualUser] {
        try subjects.map { VirtualUser(subject: $0, dpopKey: dpop ? try DPoPKey.generate() : nil) }
    }

    /// Remembers the `DPoP-Nonce` of `response`, if it carries one and the user uses DPoP.
    mutating func learnNonce(from response: ParsedResponse) {
        guard dpopKey != nil, let nonce = response.dpopNonce else { return }
        dpopNonce.removeAll(keepingCapacity: true)
        dpopNonce.append(contentsOf: nonce.readableBytesView)
    }

    /// Whether the user holds a session.
    var hasSession: Bool { !token.isEmpty }

    /// Forgets the session: the user logs in again next.
    mutating func dropSession() {
        token.removeAll(keepingCapacity: true)
        rotations = 0
    }
}
