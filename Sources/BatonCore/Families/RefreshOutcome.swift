/// What the rotation script decided, with what the new access token needs.
public struct RefreshOutcome: Sendable, Equatable {
    /// The decision (the same table as `FamilyDecision.decide`).
    public var decision: FamilyDecision
    /// The session's subject, when the family was found.
    public var subject: String?
    /// The session's scope, space-delimited (for rotate, fast-forward and grace).
    public var scope: String?
    /// When the subject authenticated (s), for `auth_time`.
    public var authTime: Int64?
    /// Extra claims as JSON object members, or empty.
    public var claims: String?
    /// The session's absolute end (ms).
    public var expiresAt: Int64?

    /// Creates an outcome.
    public init(decision: FamilyDecision, subject: String? = nil, scope: String? = nil, authTime: Int64? = nil,
                claims: String? = nil, expiresAt: Int64? = nil) {
        self.decision = decision
        self.subject = subject
        self.scope = scope
        self.authTime = authTime
        self.claims = claims
        self.expiresAt = expiresAt
    }
}
