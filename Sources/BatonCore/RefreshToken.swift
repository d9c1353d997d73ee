/// An opaque refresh token: `btr1.<mkid>.<shard>.<fid>.<gen>.<mac>`.
///
/// - `mkid`: which master key derived the MAC key (rotatable), 1–8 of `[a-z0-9]`.
/// - `shard`: 8 hex digits derived from the subject; the Redis Cluster hash tag of its keys.
/// - `fid`: the family id, 128 random bits in base64url (22 characters).
/// - `gen`: the family generation this token stands for, in decimal.
/// - `mac`: base64url HMAC-SHA256 over `shard|fid|gen` (43 characters).
///
/// Parsing checks the shape only; the caller checks the MAC (in constant time) before any lookup.
/// Redis stores `fid` and `gen`, never `mac`, so nothing there can be turned back into a token.
///
/// ```swift
/// let token = try RefreshToken.parse(Array(text.utf8))
/// guard ConstantTime.equals(mac(token.signingInput), token.mac) else { throw ... }
/// ```
public struct RefreshToken: Sendable, Equatable {
    /// The prefix that lets secret scanners recognise a leaked token.
    public static let prefix: [UInt8] = Array("btr1.".utf8)
    /// Longest token accepted; longer input is rejected before any parsing work.
    public static let maximumLength = 128

    /// The master key id.
    public var masterKeyID: [UInt8]
    /// The shard (hash tag) of the subject's keys.
    public var shard: [UInt8]
    /// The family id.
    public var familyID: [UInt8]
    /// The generation.
    public var generation: UInt64
    /// The MAC as it appears in the token (base64url text).
    public var mac: [UInt8]

    /// Creates a token from its parts.
    public init(masterKeyID: [UInt8], shard: [UInt8], familyID: [UInt8], generation: UInt64, mac: [UInt8]) {
        self.masterKeyID = masterKeyID
        self.shard = shard
        self.familyID = familyID
        self.generation = generation
        self.mac = mac
    }

    /// The bytes the MAC covers: `shard|fid|gen`.
    public var signingInput: [UInt8] {
        Self.signingInput(shard: shard, familyID: familyID, generation: generation)
    }

    /// The bytes the MAC covers for a family's generation.
    public static func signingInput(shard: [UInt8], familyID: [UInt8], generation: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(shard.count + familyID.count + 22)
        bytes += shard
        bytes.append(UInt8(ascii: "|"))
        bytes += familyID
        bytes.append(UInt8(ascii: "|"))
        DecimalDigits.append(generation, to: &bytes)
        return bytes
    }

    /// Calls `body` with the bytes the MAC covers for a family's generation, in a temporary buffer.
    public static func withSigningInput<Result>(shard: [UInt8], familyID: [UInt8], generation: UInt64,
                                                _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: shard.count + familyID.count + 22) { buffer in
            var count = 0
            for byte in shard { buffer[count] = byte; count += 1 }
            buffer[count] = UInt8(ascii: "|")
            count += 1
            for byte in familyID { buffer[count] = byte; count += 1 }
            buffer[count] = UInt8(ascii: "|")
            count += 1
            count += DecimalDigits.write(generation, into: UnsafeMutableBufferPointer(rebasing: buffer[count...]))
            return try body(UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// Appends a token's text up to its MAC (`btr1.<mkid>.<shard>.<fid>.<gen>.`): its issuer
    /// appends the MAC right after, so the token is written once, where it is sent.
    public static func appendUnsignedText(masterKeyID: [UInt8], shard: [UInt8], familyID: [UInt8], generation: UInt64,
                                          to bytes: inout [UInt8]) {
        bytes += prefix
        bytes += masterKeyID
        bytes.append(UInt8(ascii: "."))
        bytes += shard
        bytes.append(UInt8(ascii: "."))
        bytes += familyID
        bytes.append(UInt8(ascii: "."))
        DecimalDigits.append(generation, to: &bytes)
        bytes.append(UInt8(ascii: "."))
    }

    /// The token's text, as handed to the client.
    public var serialized: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.prefix.count + masterKeyID.count + shard.count + familyID.count + mac.count + 24)
        Self.appendUnsignedText(masterKeyID: masterKeyID, shard: shard, familyID: familyID, generation: generation, to: &bytes)
        bytes += mac
        return bytes
    }

    /// The session id that names this token's family (`<shard>.<fid>`), as access tokens carry it in `sid`.
    public var sessionID: SessionID { SessionID(shard: shard, familyID: familyID) }

    /// Parses a token's text; anything that is not exactly of the token's shape is `invalid_grant`.
    public static func parse(_ text: [UInt8]) throws -> RefreshToken {
        guard text.count <= maximumLength, text.starts(with: prefix) else { throw malformed }
        // The five dot-separated parts after the prefix, found in one pass.
        var ends: (Int, Int, Int, Int) = (0, 0, 0, 0)
        var dots = 0
        for index in prefix.count..<text.count where text[index] == UInt8(ascii: ".") {
            switch dots {
            case 0: ends.0 = index
            case 1: ends.1 = index
            case 2: ends.2 = index
            case 3: ends.3 = index
            default: throw malformed
            }
            dots += 1
        }
        guard dots == 4 else { throw malformed }
        let masterKeyID = text[prefix.count..<ends.0]
        let shard = text[(ends.0 + 1)..<ends.1]
        let familyID = text[(ends.1 + 1)..<ends.2]
        let mac = text[(ends.3 + 1)...]
        guard (1...8).contains(masterKeyID.count), masterKeyID.allSatisfy(isLowerAlphanumeric),
              shard.count == SessionID.shardLength, shard.allSatisfy(isLowerHex),
              familyID.count == SessionID.familyIDLength, familyID.allSatisfy(isBase64URL),
              mac.count == 43, mac.allSatisfy(isBase64URL),
              let generation = parseDecimal(text[(ends.2 + 1)..<ends.3])
        else { throw malformed }
        return RefreshToken(masterKeyID: Array(masterKeyID), shard: Array(shard), familyID: Array(familyID),
                            generation: generation, mac: Array(mac))
    }

    private static var malformed: BatonError {
        BatonError(.invalidGrant, hint: "the refresh token is invalid, expired or revoked", debug: "malformed refresh token")
    }

    /// `value` in decimal ASCII.
    public static func decimal(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        DecimalDigits.append(value, to: &bytes)
        return bytes
    }

    /// Canonical decimal only: no sign, no leading zeros, at most 15 digits (exact in a Lua number).
    static func parseDecimal(_ text: some Collection<UInt8>) -> UInt64? {
        guard !text.isEmpty, text.count <= 15, text.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        guard text.first != UInt8(ascii: "0") || text.count == 1 else { return nil }
        return text.reduce(0) { $0 * 10 + UInt64($1 - 0x30) }
    }
}

func isLowerHex(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66)
}

func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A)
}

func isBase64URL(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
}

extension RefreshToken: RedactedDescription {
    /// Where the token points, not its MAC.
    public var publicFields: KeyValuePairs<String, Any> {
        ["session": sessionID.description, "generation": generation, "mac": redacted(mac)]
    }
}
