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
    /// Contiguous bytes (arrays, buffers, native strings' UTF-8) are compared as memory: through
    /// `zip` and a string view's indices the token path's header and media-type checks cost 1.5 %
    /// of a refresh's instructions (`make bench-instructions`).
    public func equalsIgnoringASCIICase(_ lowercase: some Collection<UInt8>) -> Bool {
        let contiguous = withContiguousStorageIfAvailable { mine in
            lowercase.withContiguousStorageIfAvailable { theirs in
                guard mine.count == theirs.count else { return false }
                for index in 0..<mine.count where asciiLowercased(mine[index]) != theirs[index] { return false }
                return true
            }
        }
        if let contiguous, let result = contiguous { return result }
        guard count == lowercase.count else { return false }
        var theirs = lowercase.makeIterator()
        for byte in self where asciiLowercased(byte) != theirs.next() { return false }
        return true
    }
}

/// `byte` with an ASCII capital letter made lowercase.
public func asciiLowercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
}

/// Whether `byte` is an RFC 3986 §2.3 unreserved character (ALPHA / DIGIT / "-" / "." / "_" /
/// "~"): one that a URI never needs to percent-encode.
public func isURIUnreserved(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
         UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
        true
    default:
        false
    }
}
