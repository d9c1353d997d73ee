/// What happens when a refresh token of generation `presented` reaches its family: the decision
/// table of DESIGN.md §3, with the DPoP binding of §5b. The rotation script in Redis implements
/// this same table atomically; tests hold the script to this model. `effects(proofPresented:)`
/// says what the decision writes.
///
/// ```swift
/// let decision = FamilyDecision.decide(family: record, presented: 7, clientID: "app",
///                                      userRevokedAt: nil, now: nowMilliseconds, graceMilliseconds: 10_000)
/// ```
public enum FamilyDecision: Sendable, Equatable {
    /// `presented` is current: the family advances to `generation`.
    case rotate(to: UInt64)
    /// `presented` is the previous generation, within the grace window: answer with the current
    /// successor `generation` again (a retry or a concurrent refresh, never a logout).
    case grace(current: UInt64)
    /// `presented` is newer than the record (a failover lost the last rotation): advance past it.
    case fastForward(to: UInt64)
    /// `presented` is an older, already rotated generation: theft. The whole family is revoked.
    case reuse(current: UInt64)
    /// The token cannot be used; the family is left as it is (or, for `.expired`/`.userRevoked`, removed).
    case reject(RejectReason)

    /// Why a refresh is refused without a reuse detection.
    public enum RejectReason: String, Sendable, Equatable {
        /// No such family: never issued, revoked, or expired and gone by TTL.
        case unknownFamily = "unknown_family"
        /// The family belongs to another client.
        case wrongClient = "wrong_client"
        /// The absolute lifetime is over.
        case expired
        /// The user logged out everywhere after this family was created.
        case userRevoked = "revoked"
        /// The request asked for a scope the session was not granted; nothing was rotated.
        case scopeExceeded = "scope_exceeded"
        /// The family is DPoP-bound and the refresh carried no proof; nothing changed.
        case dpopRequired = "dpop_required"
        /// The family is DPoP-bound to another key than the proof's; nothing changed.
        case dpopKeyMismatch = "dpop_key_mismatch"
        /// The proof's `jti` was already used with this family within its replay window; nothing changed.
        case dpopReplay = "dpop_replay"
    }

    /// Decides on a refresh. Times are milliseconds since 1970; `grace` 0 disables the grace window.
    /// A `requestedScope` beyond the session's turns an accepted refresh into `.scopeExceeded`
    /// before anything is written, so a bad request never costs the client its token; a replay is
    /// still reuse whatever scope it asks for.
    ///
    /// DPoP (RFC 9449): `proof` is the verified proof the request carried, and `proofSeen` whether
    /// its `jti` is already remembered for this family. Once the family is known to be alive, a
    /// bound family refuses a refresh without a proof (`.dpopRequired`) or with a proof for another
    /// key (`.dpopKeyMismatch`), and any family refuses a replayed `jti` (`.dpopReplay`), all before
    /// reuse detection: a thief without the key can neither refresh nor revoke. A proof that passes
    /// is remembered whatever follows (`effects(proofPresented:)`). An unbound family accepts a proof
    /// and stays unbound.
    public static func decide(
        family: FamilyRecord?,
        presented: UInt64,
        clientID: String,
        requestedScope: Scope? = nil,
        proof: DPoPPresentation? = nil,
        proofSeen: Bool = false,
        userRevokedAt: Int64?,
        now: Int64,
        graceMilliseconds: Int64
    ) -> FamilyDecision {
        guard let family else { return .reject(.unknownFamily) }
        guard family.clientID == clientID else { return .reject(.wrongClient) }
        if let userRevokedAt, family.createdAt <= userRevokedAt { return .reject(.userRevoked) }
        guard now < family.expiresAt else { return .reject(.expired) }
        if let bound = family.dpopThumbprint {
            guard let proof else { return .reject(.dpopRequired) }
            guard proof.thumbprint == bound else { return .reject(.dpopKeyMismatch) }
        }
        if proof != nil, proofSeen { return .reject(.dpopReplay) }
        let current = family.generation
        let inGrace = presented + 1 == current && graceMilliseconds > 0 && now - family.rotatedAt <= graceMilliseconds
        guard presented >= current || inGrace else { return .reuse(current: current) }
        if let requestedScope, !requestedScope.isSubset(of: (try? Scope(parsing: family.scope)) ?? requestedScope) {
            return .reject(.scopeExceeded)
        }
        if presented == current { return .rotate(to: current + 1) }
        if presented > current { return .fastForward(to: presented + 1) }
        return .grace(current: current)
    }
}

/// The state Redis keeps for one family: no token, no MAC, nothing that can refresh.
public struct FamilyRecord: Sendable, Equatable {
    /// The current generation: the token of this generation is the one that may refresh.
    public var generation: UInt64
    /// When the family last rotated (ms since 1970).
    public var rotatedAt: Int64
    /// The client the family belongs to.
    public var clientID: String
    /// When the session was created (ms since 1970).
    public var createdAt: Int64
    /// The absolute end of the session (ms since 1970).
    public var expiresAt: Int64
    /// The scope granted to the session, space-delimited.
    public var scope: String
    /// The DPoP key thumbprint (`jkt`) the family is bound to for life, or nil if unbound.
    public var dpopThumbprint: String?
    /// Until when (ms since 1970) the family's handoff code can be exchanged, while a cookie-mode
    /// session waits for its page (`HandoffDecision`); nil once exchanged, and for other sessions.
    public var handoffDeadline: Int64?

    /// Creates a record.
    public init(generation: UInt64, rotatedAt: Int64, clientID: String, createdAt: Int64, expiresAt: Int64,
                scope: String = "", dpopThumbprint: String? = nil, handoffDeadline: Int64? = nil) {
        self.generation = generation
        self.rotatedAt = rotatedAt
        self.clientID = clientID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.scope = scope
        self.dpopThumbprint = dpopThumbprint
        self.handoffDeadline = handoffDeadline
    }
}
