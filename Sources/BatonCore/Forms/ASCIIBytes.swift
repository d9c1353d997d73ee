/// Byte-level ASCII helpers for HTTP header text (names, media types, schemes, options), which
/// compare without case and ignore surrounding spaces and tabs.
extension BidirectionalCollection<UInt8> where SubSequence: BidirectionalCollection<UInt8>,
                                               SubSequence.SubSequence == SubSequence {
    /// The bytes without leading and trailing spaces and tabs.
    public var trimmingBlanks: SubSequence {
        var bytes = self[...]
        while let first = bytes.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { bytes = bytes.dropLast() }
        return bytes
    }
}

extension Collection<UInt8> {
    /// Whether these bytes equal `lowercase` (given in lowercase) when ASCII letters are folded.
    public func equalsIgnoringASCIICase(_ lowercase: some Collection<UInt8>) -> Bool {
        count == lowercase.count && zip(self, lowercase).allSatisfy { asciiLowercased($0) == $1 }
    }
}

/// `byte` with an ASCII capital letter made lowercase.
public func asciiLowercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
}
