import BatonCore

/// Where refresh-token families live (Redis in production, memory in tests). Implementations
/// apply `FamilyDecision` atomically per family and keep no token or MAC.
public protocol FamilyStore: Sendable {
    /// Creates a family at generation 0 (DPoP-bound for life when `family.dpopThumbprint` is set);
    /// returns its creation time (ms), at least one past the user's last logout-everywhere.
    func create(_ family: NewFamily, now: Int64) async throws -> Int64
    /// Decides on a presented generation and applies the decision, atomically. `proof` is the
    /// request's verified DPoP proof, if any: the store compares its key with the family's binding
    /// and checks and remembers its `jti` in the same atomic step (`FamilyDecision`'s DPoP rules).
    func refresh(_ session: SessionID, presented: UInt64, clientID: String, requestedScope: Scope?,
                 proof: DPoPPresentation?, now: Int64,
                 graceMilliseconds: Int64, idleMilliseconds: Int64) async throws -> RefreshOutcome
    /// Exchanges a cookie-mode session's handoff code, atomically by `HandoffDecision.decide`:
    /// the family is handed over once, before its deadline (its idle timeout starts then); a second
    /// or late use revokes it. A DPoP-bound family needs `proofThumbprint` (the request's verified
    /// proof's key) to equal its binding, or nothing changes.
    func redeemHandoff(_ session: SessionID, clientID: String, proofThumbprint: String?, now: Int64,
                       idleMilliseconds: Int64) async throws -> HandoffOutcome
    /// Revokes a family, atomically by `RevocationResult.decide`: with a `clientID`, only a family
    /// of that client; a DPoP-bound family, when `proof` says the revoker must prove its key, only
    /// with a proof for that key. Any result but `.revoked` changes nothing.
    func revoke(_ session: SessionID, clientID: String?, proof: RevocationProof) async throws -> RevocationResult
    /// Logs a user out everywhere (O(1)); returns how many indexed sessions ended.
    func revokeUser(shard: [UInt8], subject: String, now: Int64, retentionMilliseconds: Int64) async throws -> Int
    /// A live family's state (with its DPoP binding), or nil.
    func state(of session: SessionID) async throws -> FamilyState?
    /// A user's live sessions, oldest first.
    func sessions(shard: [UInt8], subject: String) async throws -> [FamilyState]
}
