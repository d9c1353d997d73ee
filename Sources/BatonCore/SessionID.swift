/// The name of one family (one login on one client): `<shard>.<fid>`. Access tokens carry it as
/// `sid`; it locates the family's record without revealing anything that can refresh.
public struct SessionID: Sendable, Hashable, CustomStringConvertible {
    /// Length of the shard: 8 lowercase hex digits.
    public static let shardLength = 8
    /// Length of a family id: 16 random bytes in base64url.
    public static let familyIDLength = 22

    /// The shard (Redis hash tag) of the subject's keys.
    public var shard: [UInt8]
    /// The family id.
    public var familyID: [UInt8]

    /// Creates a session id from its parts.
    public init(shard: [UInt8], familyID: [UInt8]) {
        self.shard = shard
        self.familyID = familyID
    }

    /// Parses `<shard>.<fid>`; nil if it is not of that shape.
    public init?(_ text: String) {
        let parts = Array(text.utf8).split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 2,
              parts[0].count == Self.shardLength, parts[0].allSatisfy(isLowerHex),
              parts[1].count == Self.familyIDLength, parts[1].allSatisfy(isBase64URL)
        else { return nil }
        self.init(shard: Array(parts[0]), familyID: Array(parts[1]))
    }

    public var description: String {
        String(decoding: shard, as: UTF8.self) + "." + String(decoding: familyID, as: UTF8.self)
    }
}
