/// A single-use handoff code: `bth1.<mkid>.<shard>.<fid>.<mac>`. A login backend creating a
/// cookie-mode session gets it instead of a refresh token; the browser page exchanges it once, within
/// `HandoffCode.lifetimeMilliseconds`, at `POST /browser/session` for the refresh-token cookie.
///
/// - `mkid`, `shard`, `fid`: as in `RefreshToken`; the code names its family.
/// - `mac`: base64url HMAC-SHA256 over `handoff|shard|fid` under its own key (43 characters).
///
/// Redis keeps only the family's handoff deadline, never the code or its MAC, so nothing at rest
/// can be exchanged (DESIGN.md §3, invariant 5). Parsing checks the shape only; the caller checks
/// the MAC in constant time before any lookup.
public struct HandoffCode: Sendable, Equatable {
    /// The prefix that tells a handoff code from a refresh token (and lets scanners find it).
    public static let prefix: [UInt8] = Array("bth1.".utf8)
    /// How long a code can be exchanged after the session is created (60 s).
    public static let lifetimeMilliseconds: Int64 = 60_000

    /// The master key id.
    public var masterKeyID: [UInt8]
    /// The session (shard and family id) the code hands over.
    public var session: SessionID
    /// The MAC as it appears in the code (base64url text).
    public var mac: [UInt8]

    /// Creates a code from its parts.
    public init(masterKeyID: [UInt8], session: SessionID, mac: [UInt8]) {
        self.masterKeyID = masterKeyID
        self.session = session
        self.mac = mac
    }

    /// The bytes the MAC covers: `handoff|shard|fid` (never a refresh token's `shard|fid|gen`).
    public static func signingInput(for session: SessionID) -> [UInt8] {
        Array("handoff|".utf8) + session.shard + [UInt8(ascii: "|")] + session.familyID
    }

    /// The code's text up to its MAC (`bth1.<mkid>.<shard>.<fid>.`).
    public static func unsignedText(masterKeyID: [UInt8], session: SessionID) -> [UInt8] {
        prefix + masterKeyID + [UInt8(ascii: ".")] + session.shard + [UInt8(ascii: ".")] + session.familyID + [UInt8(ascii: ".")]
    }

    /// Parses a code's text; anything not exactly of the code's shape is `invalid_grant`.
    public static func parse(_ text: [UInt8]) throws -> HandoffCode {
        guard text.count <= 96, text.starts(with: prefix) else { throw malformed }
        let parts = text[prefix.count...].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { throw malformed }
        let (masterKeyID, shard, familyID, mac) = (parts[0], parts[1], parts[2], parts[3])
        guard (1...8).contains(masterKeyID.count), masterKeyID.allSatisfy(isLowerAlphanumeric),
              shard.count == SessionID.shardLength, shard.allSatisfy(isLowerHex),
              familyID.count == SessionID.familyIDLength, familyID.allSatisfy(isBase64URL),
              mac.count == 43, mac.allSatisfy(isBase64URL)
        else { throw malformed }
        return HandoffCode(masterKeyID: Array(masterKeyID), session: SessionID(shard: Array(shard), familyID: Array(familyID)),
                           mac: Array(mac))
    }

    /// The hint of every refusal of a code: it never says which check failed.
    public static let invalidHint = "the handoff code is invalid, expired or already used"

    private static var malformed: BatonError {
        BatonError(.invalidGrant, hint: invalidHint, debug: "malformed handoff code")
    }
}

extension HandoffCode: RedactedDescription {
    /// Where the code points, not its MAC.
    public var publicFields: KeyValuePairs<String, Any> { ["session": session.description, "mac": redacted(mac)] }
}
