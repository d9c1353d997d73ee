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
        var searchStart = 0
        while searchStart < bytes.count,
              let found = HTTPResponseParser.find(quotedName, in: UnsafeRawBufferPointer(rebasing: bytes[searchStart...])) {
            var index = searchStart + found + quotedName.count
            searchStart = index
            index = skipWhitespace(bytes, from: index)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { continue }   // a value, not a key
            index = skipWhitespace(bytes, from: index + 1)
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
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

    /// Whether `buffer` has this member with the literal value `literal` (e.g. `true`).
    public func hasLiteral(_ literal: [UInt8], in buffer: ByteBuffer) -> Bool {
        buffer.withUnsafeReadableBytes { bytes in
            guard let found = HTTPResponseParser.find(quotedName, in: bytes) else { return false }
            var index = skipWhitespace(bytes, from: found + quotedName.count)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
            index = skipWhitespace(bytes, from: index + 1)
            guard index + literal.count <= bytes.count else { return false }
            return literal.indices.allSatisfy { bytes[index + $0] == literal[$0] }
        }
    }

    private func skipWhitespace(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
        return index
    }
}
