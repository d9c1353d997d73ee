import BatonCore

/// Every Redis key Baton uses. A user's keys share the hash tag `{<shard>}`, so each script
/// touches one slot, declares every key it touches in KEYS, and runs unchanged on Redis Cluster;
/// global state lives under `{ctl}`.
public enum KeySchema {
    /// `bt:{<shard>}:fam:<fid>`: one family's record (hash of `FamilyField`s).
    public static func family(_ session: SessionID) -> String {
        "bt:{" + String(decoding: session.shard, as: UTF8.self) + "}:fam:" + String(decoding: session.familyID, as: UTF8.self)
    }

    /// `bt:{<shard>}:jti:<fid>:<h>`: a DPoP proof's `jti` (RFC 9449 §11.1) remembered for one
    /// family, in the family's slot, where `h` is `DPoPPresentation.jwtIDDigest` as it is (computed
    /// in BatonAuth: base64url SHA-256, so the key's length is bounded whatever the client sent).
    /// Not under `:fam:`, so a pattern over family records does not catch it.
    public static func dpopJWTID(digest: String, of session: SessionID) -> String {
        var key = Array("bt:{".utf8)
        key += session.shard
        key += Array("}:jti:".utf8)
        key += session.familyID
        key.append(UInt8(ascii: ":"))
        key += Array(digest.utf8)
        return String(decoding: key, as: UTF8.self)
    }

    /// `bt:{<shard>}:rv`: the logout-everywhere times of the shard's users (hash: subject → ms).
    /// Shard-wide, so a refresh names it from the token alone, before it knows the subject.
    public static func revocations(shard: [UInt8]) -> String {
        "bt:{" + String(decoding: shard, as: UTF8.self) + "}:rv"
    }

    /// `bt:{<shard>}:user:<sub>`: a user's session index (hash: family id → absolute end, ms).
    public static func sessions(shard: [UInt8], subject: String) -> String {
        "bt:{" + String(decoding: shard, as: UTF8.self) + "}:user:" + subject
    }

    /// `bt:{rl}:<name>`: a rate-limit counter (all counters share one slot, so one script checks
    /// a client's and an address's limit together).
    public static func rateLimit(_ name: String) -> String { "bt:{rl}:" + name }

    /// Registered clients (hash: client id → JSON).
    public static let clients = "bt:{ctl}:clients"
    /// The signing keyset (hash: kid → JSON with the sealed private key).
    public static let keys = "bt:{ctl}:keys"
    /// The lock (SET NX PX) that lets one worker perform a scheduled rotation.
    public static let rotationLock = "bt:{ctl}:rotate-lock"
    /// A counter bumped on every keyset or client change.
    public static let version = "bt:{ctl}:ver"
    /// The pub/sub channel that announces changes to every worker.
    public static let controlChannel = "bt:control"
}
