/// Everything needed to create a family (a session): who, on which client, for how long.
public struct NewFamily: Sendable {
    /// The new family's id (random) and the subject's shard.
    public var session: SessionID
    /// The client the family belongs to.
    public var clientID: String
    /// The authenticated subject.
    public var subject: String
    /// The granted scope, space-delimited.
    public var scope: String
    /// When the subject authenticated (s since 1970), the access tokens' `auth_time`.
    public var authTime: Int64
    /// Extra access-token claims as JSON object members (`"k":v,...`), or empty.
    public var claims: String
    /// The absolute end of the session (ms since 1970).
    public var expiresAt: Int64
    /// The sliding idle timeout (ms).
    public var idleTimeoutMilliseconds: Int64
    /// The RFC 7638 thumbprint (`jkt`) of the app's DPoP key (RFC 9449) the family is bound to for
    /// life, or nil for an unbound family. Every refresh of a bound family needs a proof for that key.
    public var dpopThumbprint: String?
    /// For a cookie-mode session: until when (ms since 1970) its handoff code can be exchanged. The
    /// family lives no longer than that until it is (`HandoffDecision`); nil for other sessions.
    public var handoffDeadline: Int64?

    /// Creates a description of a new family; `dpopThumbprint`, when given, is not empty.
    public init(session: SessionID, clientID: String, subject: String, scope: String, authTime: Int64,
                claims: String, expiresAt: Int64, idleTimeoutMilliseconds: Int64, dpopThumbprint: String? = nil,
                handoffDeadline: Int64? = nil) {
        self.session = session
        self.clientID = clientID
        self.subject = subject
        self.scope = scope
        self.authTime = authTime
        self.claims = claims
        self.expiresAt = expiresAt
        self.idleTimeoutMilliseconds = idleTimeoutMilliseconds
        precondition(dpopThumbprint?.isEmpty != true, "a DPoP binding needs a thumbprint")
        self.dpopThumbprint = dpopThumbprint
        self.handoffDeadline = handoffDeadline
    }
}
