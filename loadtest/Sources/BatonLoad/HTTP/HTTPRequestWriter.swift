import BatonCore
import NIOCore

/// Writes HTTP/1.1 requests as bytes: a generic one for setup calls, and the pieces the hot path
/// assembles into a reused buffer (a fixed head, a decimal `Content-Length`, form values).
public enum HTTPRequestWriter {
    /// A complete request with `Content-Length` framing and keep-alive.
    public static func request(_ method: String, target: LoadTarget, path: String, headers: [(String, String)] = [],
                               body: [UInt8] = []) -> ByteBuffer {
        var head = headLines(method, target: target, path: path, headers: headers)
        if !body.isEmpty || method == "POST" || method == "PATCH" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        var buffer = ByteBuffer()
        buffer.reserveCapacity(head.utf8.count + body.count)
        buffer.writeString(head)
        buffer.writeBytes(body)
        return buffer
    }

    /// The head of a request up to and including `Content-Length: ` (the caller writes the number),
    /// or up to and including `<field>: ` of another last field whose value the caller writes, then
    /// `contentLengthAfterField` and the number.
    public static func headPrefix(_ method: String, target: LoadTarget, path: String, headers: [(String, String)],
                                  endingWith field: String = "Content-Length") -> [UInt8] {
        Array((headLines(method, target: target, path: path, headers: headers) + "\(field): ").utf8)
    }

    /// What follows a field value written after a `headPrefix` that ended with another field:
    /// its CRLF and `Content-Length: `.
    public static let contentLengthAfterField: [UInt8] = Array("\r\nContent-Length: ".utf8)

    /// The request line, `Host`, `User-Agent` and `headers`, each ended by CRLF.
    private static func headLines(_ method: String, target: LoadTarget, path: String, headers: [(String, String)]) -> String {
        var head = "\(method) \(target.path(path)) HTTP/1.1\r\nHost: \(target.hostHeader)\r\nUser-Agent: baton-load\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return head
    }

    /// Appends `value` as decimal digits.
    public static func writeDecimal(_ value: Int, to buffer: inout ByteBuffer) {
        precondition(value >= 0, "lengths are not negative")
        if value < 10 {
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(value))
            return
        }
        writeDecimal(value / 10, to: &buffer)
        buffer.writeInteger(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// The length of `value` once form-urlencoded (RFC 3986 unreserved bytes stay as they are).
    public static func formEncodedCount(_ value: [UInt8]) -> Int {
        var count = value.count
        for byte in value where !isURIUnreserved(byte) { count += 2 }
        return count
    }

    /// Appends `value` form-urlencoded (`%XX` for everything but unreserved bytes).
    public static func writeFormEncoded(_ value: [UInt8], to buffer: inout ByteBuffer) {
        if value.allSatisfy(isURIUnreserved) {
            buffer.writeBytes(value)
            return
        }
        for byte in value {
            if isURIUnreserved(byte) {
                buffer.writeInteger(byte)
            } else {
                buffer.writeInteger(UInt8(ascii: "%"))
                buffer.writeInteger(hexDigits[Int(byte >> 4)])
                buffer.writeInteger(hexDigits[Int(byte & 0xF)])
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
