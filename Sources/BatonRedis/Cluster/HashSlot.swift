/// The Redis Cluster slot of a key: CRC16/XMODEM of the key, or of its hash tag, modulo 16384
/// (the cluster specification's "Keys distribution model"). A hash tag is the part between the
/// first `{` and the first `}` after it, when that part is not empty; keys with the same tag
/// share a slot, which is how every script of Baton touches one slot.
///
/// ```swift
/// HashSlot(key: "bt:{0a1b2c3d}:fam:x") == HashSlot(key: "bt:{0a1b2c3d}:rv")   // true
/// ```
public struct HashSlot: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number of slots in a cluster.
    public static let count = 16_384

    /// The slot number, 0..<16384.
    public let value: Int

    /// A slot by its number; nil outside 0..<16384.
    public init?(_ value: Int) {
        guard (0..<Self.count).contains(value) else { return nil }
        self.value = value
    }

    /// The slot of `key`.
    public init(key: some Collection<UInt8>) {
        let bytes = Array(key)
        value = Int(Self.crc16(Self.hashedPart(of: bytes)) & 0x3FFF)
    }

    /// The slot of `key` (its UTF-8 bytes).
    public init(key: String) {
        self.init(key: key.utf8)
    }

    /// The bytes that are hashed: the hash tag if there is a non-empty one, else the whole key.
    static func hashedPart(of key: [UInt8]) -> ArraySlice<UInt8> {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")),
              let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}")),
              close > open + 1
        else { return key[...] }
        return key[(open + 1)..<close]
    }

    /// CRC16/XMODEM (polynomial 0x1021, initial value 0, no reflection), as Redis computes it.
    static func crc16(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }

    public static func < (lhs: HashSlot, rhs: HashSlot) -> Bool { lhs.value < rhs.value }

    public var description: String { String(value) }
}
