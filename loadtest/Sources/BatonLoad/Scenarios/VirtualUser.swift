import BatonCore

/// One simulated user: a subject and the refresh-token chain of its current session.
struct VirtualUser {
    /// The subject as a JSON string literal, ready for `POST /v1/sessions`.
    let subjectJSON: [UInt8]
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

    /// A user named `subject`.
    init(subject: String) {
        var json: [UInt8] = []
        JSONWriter.appendString(subject.utf8, to: &json)
        subjectJSON = json
    }

    /// Whether the user holds a session.
    var hasSession: Bool { !token.isEmpty }

    /// Forgets the session: the user logs in again next.
    mutating func dropSession() {
        token.removeAll(keepingCapacity: true)
        rotations = 0
    }
}
