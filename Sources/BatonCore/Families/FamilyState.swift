/// A live family as introspection and session listings show it.
public struct FamilyState: Sendable, Equatable {
    /// The family's session id.
    public var session: SessionID
    /// Its current generation.
    public var generation: UInt64
    /// The client it belongs to.
    public var clientID: String
    /// The subject.
    public var subject: String
    /// The granted scope.
    public var scope: String
    /// Creation time (ms since 1970).
    public var createdAt: Int64
    /// Absolute end (ms since 1970).
    public var expiresAt: Int64
    /// The DPoP key thumbprint (`jkt`) the family is bound to, or nil if it is unbound.
    public var dpopThumbprint: String?

    /// Creates a family's state.
    public init(session: SessionID, generation: UInt64, clientID: String, subject: String, scope: String,
                createdAt: Int64, expiresAt: Int64, dpopThumbprint: String? = nil) {
        self.session = session
        self.generation = generation
        self.clientID = clientID
        self.subject = subject
        self.scope = scope
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.dpopThumbprint = dpopThumbprint
    }
}
