/// The fields of a family's Redis hash (`bt:{<shard>}:fam:<fid>`), named once: the scripts are
/// written with them, and the store and the tests read and write through them. Short names,
/// because every family pays for them in memory.
public enum FamilyField: String, Sendable, CaseIterable {
    /// The current generation.
    case generation = "g"
    /// When it last rotated (ms since 1970).
    case rotatedAt = "r"
    /// The client id.
    case clientID = "c"
    /// When the session was created (ms since 1970).
    case createdAt = "t"
    /// The absolute end (ms since 1970).
    case expiresAt = "x"
    /// The subject.
    case subject = "s"
    /// The granted scope, space-delimited.
    case scope = "sc"
    /// When the subject authenticated (s since 1970).
    case authTime = "a"
    /// Extra access-token claims as JSON object members, or empty.
    case claims = "cl"
    /// The DPoP key thumbprint (`jkt`, RFC 9449) the family is bound to for life; absent when unbound.
    case dpopThumbprint = "j"
    /// Until when (ms since 1970) a cookie-mode session's handoff code can be exchanged; absent
    /// once it has been, and for other sessions.
    case handoffDeadline = "h"

    /// The field name quoted for Lua source.
    var lua: String { "'" + rawValue + "'" }
}
