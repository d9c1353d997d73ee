import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Parses HTTP/1.1 responses framed by `Content-Length` straight from the bytes read, without
/// building header dictionaries: it finds the status line, `Content-Length`, `Connection`,
/// `DPoP-Nonce` (RFC 9449 §8) and the body, and refuses what it cannot frame (`Transfer-Encoding`,
/// bodies delimited by the close).
///
/// ```swift
/// var buffer = ...                       // bytes read so far
/// while let response = try HTTPResponseParser.parse(&buffer) { ... }   // nil: wait for more
/// ```
public enum HTTPResponseParser {
    /// The largest response head accepted.
    public static let maximumHeadSize = 16 * 1024
    /// The largest body accepted (a JWKS with many RSA keys stays far below it).
    public static let maximumBodySize = 4 * 1024 * 1024

    /// Consumes one complete response from `buffer`'s readable bytes and returns it, or returns
    /// nil (consuming nothing) when the bytes do not hold a whole response yet. Interim (1xx)
    /// responses are skipped. Throws `HTTPResponseError` for anything malformed or unsupported.
    public static func parse(_ buffer: inout ByteBuffer) throws(HTTPResponseError) -> ParsedResponse? {
        while true {
            guard let head = try parseHead(buffer) else { return nil }
            if head.status >= 100 && head.status < 200 {
                buffer.moveReaderIndex(forwardBy: head.size)
                continue
            }
            let bodyLength: Int
            if let length = head.contentLength {
                bodyLength = length
            } else if head.status == 204 || head.status == 304 {
                bodyLength = 0
            } else {
                throw .unsupportedFraming("a \(head.status) response without Content-Length (only Content-Length framing is supported)")
            }
            guard buffer.readableBytes >= head.size + bodyLength else { return nil }
            let body = buffer.getSlice(at: buffer.readerIndex + head.size, length: bodyLength) ?? ByteBuffer()
            let nonce = head.dpopNonce.flatMap { buffer.getSlice(at: buffer.readerIndex + $0.lowerBound, length: $0.count) }
            buffer.moveReaderIndex(forwardBy: head.size + bodyLength)
            return ParsedResponse(status: head.status, keepAlive: head.keepAlive, body: body, dpopNonce: nonce)
        }
    }

    private struct Head {
        var status: Int
        var size: Int
        var contentLength: Int?
        var keepAlive: Bool
        /// Where the `DPoP-Nonce` value lies in the head, if there is one.
        var dpopNonce: Range<Int>?
    }

    private static func parseHead(_ buffer: ByteBuffer) throws(HTTPResponseError) -> Head? {
        try buffer.withUnsafeReadableBytes { (bytes) throws(HTTPResponseError) -> Head? in
            guard let end = find(crlfcrlf, in: bytes) else {
                guard bytes.count <= maximumHeadSize else { throw .malformed("the response head exceeds \(maximumHeadSize) bytes") }
                return nil
            }
            return try head(bytes, end: end)
        }
    }

    /// Parses the status line and the framing headers of a head that ends (before CRLFCRLF) at `end`.
    private static func head(_ bytes: UnsafeRawBufferPointer, end: Int) throws(HTTPResponseError) -> Head {
        // "HTTP/1.x SSS"
        guard end >= 12, bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "T"), bytes[2] == UInt8(ascii: "T"),
              bytes[3] == UInt8(ascii: "P"), bytes[4] == UInt8(ascii: "/"), bytes[5] == UInt8(ascii: "1"),
              bytes[6] == UInt8(ascii: "."), bytes[8] == UInt8(ascii: " ")
        else { throw .malformed("the response does not start with an HTTP/1.x status line") }
        var status = 0
        for index in 9..<12 {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { throw .malformed("the status code is not three digits") }
            status = status * 10 + Int(digit)
        }
        var head = Head(status: status, size: end + 4, contentLength: nil, keepAlive: bytes[7] == UInt8(ascii: "1"))
        // Header lines: from after the status line's CRLF to `end`.
        var lineStart = (find(crlf, in: UnsafeRawBufferPointer(rebasing: bytes[0..<(end + 2)])) ?? end) + 2
        while lineStart < end {
            let lineEnd = lineStart + (find(crlf, in: UnsafeRawBufferPointer(rebasing: bytes[lineStart..<(end + 2)])) ?? (end - lineStart))
            let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd])
            if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                let name = UnsafeRawBufferPointer(rebasing: line[0..<colon])
                let value = trimmed(UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]))
                try apply(name: name, value: value, to: &head)
                if equalsIgnoringCase(name, dpopNonce), let base = bytes.baseAddress, let valueBase = value.baseAddress {
                    let start = base.distance(to: valueBase)
                    head.dpopNonce = start..<(start + value.count)
                }
            } else {
                throw .malformed("a header line has no colon")
            }
            lineStart = lineEnd + 2
        }
        return head
    }

    private static func apply(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
                              to head: inout Head) throws(HTTPResponseError) {
        if equalsIgnoringCase(name, contentLength) {
            guard !value.isEmpty, value.count <= 9, value.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) else {
                throw .malformed("Content-Length is not a number")
            }
            let length = value.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard head.contentLength == nil || head.contentLength == length else {
                throw .malformed("conflicting Content-Length headers")
            }
            guard length <= maximumBodySize else { throw .malformed("the body exceeds \(maximumBodySize) bytes") }
            head.contentLength = length
        } else if equalsIgnoringCase(name, transferEncoding) {
            throw .unsupportedFraming("Transfer-Encoding \(String(decoding: value, as: UTF8.self)) (only Content-Length framing is supported)")
        } else if equalsIgnoringCase(name, connection) {
            if containsIgnoringCase(value, close) { head.keepAlive = false }
            if containsIgnoringCase(value, keepAliveToken) { head.keepAlive = true }
        }
    }

    private static let crlf: [UInt8] = Array("\r\n".utf8)
    private static let crlfcrlf: [UInt8] = Array("\r\n\r\n".utf8)
    private static let contentLength: [UInt8] = Array("content-length".utf8)
    private static let transferEncoding: [UInt8] = Array("transfer-encoding".utf8)
    private static let connection: [UInt8] = Array("connection".utf8)
    private static let close: [UInt8] = Array("close".utf8)
    private static let keepAliveToken: [UInt8] = Array("keep-alive".utf8)
    private static let dpopNonce: [UInt8] = Array("dpop-nonce".utf8)

    /// The offset of the first occurrence of `needle` (not empty) in `haystack`: `memchr` for its
    /// first byte, `memcmp` for the rest.
    static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
        guard let base = haystack.baseAddress, haystack.count >= needle.count, let first = needle.first else { return nil }
        return needle.withUnsafeBytes { needle in
            let last = haystack.count - needle.count
            var offset = 0
            while offset <= last {
                guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return nil }
                let position = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + position, needle.baseAddress!, needle.count) == 0 { return position }
                offset = position + 1
            }
            return nil
        }
    }

    private static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    private static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercase: [UInt8]) -> Bool {
        guard bytes.count == lowercase.count else { return false }
        for index in 0..<lowercase.count where lowercased(bytes[index]) != lowercase[index] { return false }
        return true
    }

    private static func containsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercase: [UInt8]) -> Bool {
        guard bytes.count >= lowercase.count else { return false }
        for start in 0...(bytes.count - lowercase.count)
        where equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + lowercase.count)]), lowercase) {
            return true
        }
        return false
    }
}
