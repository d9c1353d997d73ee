/// What happens when a cookie-mode session's handoff code (`HandoffCode`) is exchanged: the
/// page gets the family's first refresh token, as a cookie, exactly once, before the deadline.
/// The exchange script in Redis implements this same table atomically; tests hold the script to it.
///
/// A code presented after its family was handed over, or after its deadline, revokes the family:
/// a code is single-use, so a second use means someone else holds it. A forgery never gets here
/// (its MAC is checked first) and a code of another client changes nothing. A DPoP-bound session
/// (RFC 9449) is handed over only with a proof for its key, checked before the code is spent: a
/// thief holding the code without the key can neither take the session nor burn the code.
///
/// ```swift
/// let decision = HandoffDecision.decide(family: record, clientID: "web", userRevokedAt: nil, now: now)
/// ```
public enum HandoffDecision: Sendable, Equatable {
    /// Hand the family over: its handoff deadline is cleared and its idle timeout starts.
    case deliver
    /// Refused; `Reason.revokesFamily` says whether the family was deleted.
    case reject(Reason)

    /// Why an exchange is refused.
    public enum Reason: String, Sendable, Equatable, CaseIterable {
        /// No such family: never created, revoked, or gone by TTL (a late code usually ends here).
        case unknownFamily = "unknown_family"
        /// The family belongs to another client; nothing changes.
        case wrongClient = "wrong_client"
        /// The user logged out everywhere after the session was created; the family is deleted.
        case userRevoked = "revoked"
        /// The session's absolute lifetime is over; the family is deleted.
        case expired
        /// The code was already exchanged: the family is revoked.
        case alreadyUsed = "handoff_used"
        /// The code's deadline passed (the family outlived it by clock skew): the family is revoked.
        case late = "handoff_late"
        /// The session is DPoP-bound and the exchange carried no proof; nothing changes.
        case dpopRequired = "dpop_required"
        /// The session is DPoP-bound to another key than the proof's; nothing changes.
        case dpopKeyMismatch = "dpop_key_mismatch"

        /// Whether refusing for this reason deletes the family.
        public var revokesFamily: Bool {
            switch self {
            case .unknownFamily, .wrongClient, .dpopRequired, .dpopKeyMismatch: false
            case .userRevoked, .expired, .alreadyUsed, .late: true
            }
        }
    }

    /// Decides on an exchange at `now` (ms since 1970); `proofThumbprint` is the key thumbprint of
    /// the request's verified DPoP proof, if it carried one.
    public static func decide(family: FamilyRecord?, clientID: String, proofThumbprint: String? = nil, userRevokedAt: Int64?,
                              now: Int64) -> HandoffDecision {
        guard let family else { return .reject(.unknownFamily) }
        guard family.clientID == clientID else { return .reject(.wrongClient) }
        if let userRevokedAt, family.createdAt <= userRevokedAt { return .reject(.userRevoked) }
        guard now < family.expiresAt else { return .reject(.expired) }
        if let bound = family.dpopThumbprint {
            guard let proofThumbprint else { return .reject(.dpopRequired) }
            guard proofThumbprint == bound else { return .reject(.dpopKeyMismatch) }
        }
        guard let deadline = family.handoffDeadline else { return .reject(.alreadyUsed) }
        guard now <= deadline else { return .reject(.late) }
        return .deliver
    }
}

/// What the exchange script decided, with what the page's first tokens need.
public struct HandoffOutcome: Sendable, Equatable {
    /// The decision (the same table as `HandoffDecision.decide`).
    public var decision: HandoffDecision
    /// The session's subject, scope, `auth_time` (s), extra claims (JSON members), absolute end (ms)
    /// and DPoP binding: set when delivered.
    public var subject: String?
    public var scope: String?
    public var authTime: Int64?
    public var claims: String?
    public var expiresAt: Int64?
    public var dpopThumbprint: String?

    /// Creates an outcome.
    public init(decision: HandoffDecision, subject: String? = nil, scope: String? = nil, authTime: Int64? = nil,
                claims: String? = nil, expiresAt: Int64? = nil, dpopThumbprint: String? = nil) {
        self.decision = decision
        self.subject = subject
        self.scope = scope
        self.authTime = authTime
        self.claims = claims
        self.expiresAt = expiresAt
        self.dpopThumbprint = dpopThumbprint
    }
}
