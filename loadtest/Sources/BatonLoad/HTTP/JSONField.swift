import NIOCore

/// Pulls string members out of a compact JSON object by byte search, for the hot path: no
/// decoder, no `String`. It finds `"name"`, skips `:` and whitespace, and returns the bytes of a
/// string value up to its closing quote. Values with escapes are refused (tokens never have any).
///
/// ```swift
/// let needle = JSONField("refresh_token")
/// if let token = needle.value(in: response.body) { ... }   // [UInt8] of the token
/// ```
public struct JSONField: Sendable {
    /// `"name"` as bytes.
    private let quotedName: [UInt8]

    /// A member name to look for.
    public init(_ name: String) {
        quotedName = Array("\"\(name)\"".utf8)
    }

    /// The byte range (offsets into `bytes`) of the member's string value, or nil when the member
    /// is absent, not a string, or has escapes.
    public func range(in bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        guard let index = valueStart(in: bytes), index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        var end = start
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") { return start..<end }
            if byte == UInt8(ascii: "\\") { return nil }
            end += 1
        }
        return nil
    }

    /// The member's string value in `buffer`'s readable bytes, copied into `output` (replacing
    /// its contents, keeping its capacity). Returns false when absent.
    public func copyValue(in buffer: ByteBuffer, into output: inout [UInt8]) -> Bool {
        buffer.withUnsafeReadableBytes { bytes in
            guard let range = range(in: bytes) else { return false }
            output.removeAll(keepingCapacity: true)
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[range]))
            return true
        }
    }

    /// The member's string value in `buffer`'s readable bytes, or nil.
    public func value(in buffer: ByteBuffer) -> [UInt8]? {
        var output: [UInt8] = []
        return copyValue(in: buffer, into: &output) ? output : nil
    }

    /// Whether `buffer` has this member with the literal value `literal`, compared in place: `true`,
    /// or a string with its quotes (`"invalid_grant"`).
    public func hasLiteral(_ literal: [UInt8], in buffer: ByteBuffer) -> Bool {
        buffer.withUnsafeReadableBytes { bytes in
            guard let index = valueStart(in: bytes), index + literal.count <= bytes.count else { return false }
            return literal.indices.allSatisfy { bytes[index + $0] == literal[$0] }
        }
    }

    /// The offset of the member's value in `bytes` (past `"name"`, `:` and whitespace; it may be
    /// `bytes.count`), or nil when the name never appears as a member name.
    private func valueStart(in bytes: UnsafeRawBufferPointer) -> Int? {
        var searchStart = 0
        while searchStart < bytes.count,
              let found = HTTPResponseParser.find(quotedName, in: UnsafeRawBufferPointer(rebasing: bytes[searchStart...])) {
            searchStart += found + quotedName.count
            let colon = skipWhitespace(bytes, from: searchStart)
            guard colon < bytes.count, bytes[colon] == UInt8(ascii: ":") else { continue }   // a value, not a key
            return skipWhitespace(bytes, from: colon + 1)
        }
        return nil
    }

    private func skipWhitespace(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
        return index
    }
}
