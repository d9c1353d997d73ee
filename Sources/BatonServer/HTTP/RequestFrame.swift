/// The framing of one HTTP/1.x request at the start of a byte stream, read strictly: where its
/// head ends, how long its body is, whether the connection stays open, and for the token endpoint
/// the header values it needs. `TokenEndpointHandler` answers token requests from it without
/// NIO's HTTP/1 decoder and hands every other request's bytes to that decoder unchanged.
///
/// A request that asks to leave HTTP/1.1 (an `Upgrade`, `Connection: upgrade`, or `CONNECT`) is
/// `switchingProtocols`: Baton speaks nothing else, and NIO's decoder would take every byte after
/// it as the new protocol's, leaving pipelined requests unanswered. Anything else this reader does
/// not fully understand is `unframeable`: a bare LF, obs-fold, a `Transfer-Encoding`, an `Expect`, a
/// repeated `Content-Length`, a malformed line, a head over the limit. The connection is then left to NIO's decoder for good, so the
/// two parsers never disagree on where a request ends.
struct RequestFrame: Equatable {
    /// The result of reading the start of a buffer.
    enum Reading: Equatable {
        /// The head is not complete yet.
        case incomplete
        case frame(RequestFrame)
        /// A request to switch protocols, refused and the connection closed.
        case switchingProtocols(RequestFrame)
        case unframeable
    }

    /// `POST /oauth/token` exactly (no query string).
    var isTokenRequest: Bool
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    var minorVersion: Int
    /// Bytes from the request line through the empty line that ends the head.
    var headLength: Int
    var contentLength: Int
    var keepAlive: Bool
    /// Set for token requests only.
    var contentType: String?
    var authorization: String?
    /// Every `DPoP` field value of a token request, in order: two proofs are the verifier's to
    /// refuse (RFC 9449 §4.3), so none is dropped here.
    var dpop: [String] = []

    /// The request's length on the wire.
    var length: Int { headLength + contentLength }

    /// The largest head read here; a longer one goes to NIO's decoder (and its own limits).
    static let headLimit = 16 * 1024
    private static let headerCountLimit = 100

    /// Reads the request that starts at the beginning of `bytes`.
    static func read(_ bytes: UnsafeRawBufferPointer) -> Reading {
        // The head ends at the first CRLF CRLF; every LF must follow a CR.
        var end = -1
        var index = 0
        let scanLimit = min(bytes.count, headLimit)
        while index < scanLimit {
            if bytes[index] == lf {
                guard index > 0, bytes[index - 1] == cr else { return .unframeable }
                if index >= 3, bytes[index - 2] == lf, bytes[index - 3] == cr {
                    end = index + 1
                    break
                }
            }
            index += 1
        }
        guard end > 0 else { return bytes.count >= headLimit ? .unframeable : .incomplete }

        var reader = HeadReader(bytes: UnsafeRawBufferPointer(rebasing: bytes[..<end]))
        guard let line = reader.requestLine() else { return .unframeable }
        var frame = RequestFrame(isTokenRequest: line.isTokenRequest, minorVersion: line.minorVersion, headLength: end,
                                 contentLength: 0, keepAlive: false)
        var sawContentLength = false
        var (close, keepAlive, upgrade) = (false, false, line.isConnect)
        var count = 0
        while let field = reader.field() {
            count += 1
            guard count <= headerCountLimit else { return .unframeable }
            switch field.name {
            case .contentLength:
                guard !sawContentLength, let length = decimal(field.value) else { return .unframeable }
                sawContentLength = true
                frame.contentLength = length
            case .connection:
                for option in field.value.split(separator: UInt8(ascii: ",")) {
                    let option = option.trimmingBlanks
                    if option.equalsIgnoringASCIICase("close".utf8) { close = true }
                    if option.equalsIgnoringASCIICase("keep-alive".utf8) { keepAlive = true }
                    if option.equalsIgnoringASCIICase("upgrade".utf8) { upgrade = true }
                }
            case .upgrade:
                upgrade = true
            case .transferEncoding, .expect:
                return .unframeable
            case .contentType where line.isTokenRequest:
                guard frame.contentType == nil else { return .unframeable }
                frame.contentType = String(decoding: field.value, as: UTF8.self)
            case .authorization where line.isTokenRequest:
                guard frame.authorization == nil else { return .unframeable }
                frame.authorization = String(decoding: field.value, as: UTF8.self)
            case .dpop where line.isTokenRequest:
                frame.dpop.append(String(decoding: field.value, as: UTF8.self))
            default:
                break
            }
        }
        // HTTP/1.1 stays open unless told to close; HTTP/1.0 closes unless told to stay open.
        frame.keepAlive = !close && (line.minorVersion == 1 || keepAlive)
        // The fields must have run up to the empty line that ends the head.
        guard reader.isAtEnd else { return .unframeable }
        return upgrade ? .switchingProtocols(frame) : .frame(frame)
    }

    private static func decimal(_ digits: UnsafeRawBufferPointer.SubSequence) -> Int? {
        guard !digits.isEmpty, digits.count <= 15 else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }
}

private let cr = UInt8(ascii: "\r")
private let lf = UInt8(ascii: "\n")
private let space = UInt8(ascii: " ")
private let tab = UInt8(ascii: "\t")

/// The header names the framing looks at.
private enum FieldName {
    case contentLength, transferEncoding, connection, expect, upgrade, contentType, authorization, dpop, other

    init(_ name: UnsafeRawBufferPointer.SubSequence) {
        switch name.count {
        case 4 where name.equalsIgnoringASCIICase("dpop".utf8): self = .dpop
        case 6 where name.equalsIgnoringASCIICase("expect".utf8): self = .expect
        case 7 where name.equalsIgnoringASCIICase("upgrade".utf8): self = .upgrade
        case 10 where name.equalsIgnoringASCIICase("connection".utf8): self = .connection
        case 12 where name.equalsIgnoringASCIICase("content-type".utf8): self = .contentType
        case 13 where name.equalsIgnoringASCIICase("authorization".utf8): self = .authorization
        case 14 where name.equalsIgnoringASCIICase("content-length".utf8): self = .contentLength
        case 17 where name.equalsIgnoringASCIICase("transfer-encoding".utf8): self = .transferEncoding
        default: self = .other
        }
    }
}

/// Walks a complete head (request line, fields, empty line), each line ending in CRLF.
private struct HeadReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    var isAtEnd: Bool { position == bytes.count }

    /// `method SP target SP HTTP/1.x`, with a token method and a visible-ASCII target.
    mutating func requestLine() -> (isTokenRequest: Bool, minorVersion: Int, isConnect: Bool)? {
        guard let line = nextLine() else { return nil }
        guard let firstSpace = line.firstIndex(of: space) else { return nil }
        let method = line[line.startIndex..<firstSpace]
        let rest = line[(firstSpace + 1)...]
        guard let secondSpace = rest.firstIndex(of: space) else { return nil }
        let target = rest[rest.startIndex..<secondSpace]
        let version = rest[(secondSpace + 1)...]
        guard !method.isEmpty, method.allSatisfy(isTokenCharacter),
              !target.isEmpty, target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
              version.count == 8, version.prefix(7).elementsEqual("HTTP/1.".utf8) else { return nil }
        let minor = version[version.startIndex + 7]
        guard minor == UInt8(ascii: "0") || minor == UInt8(ascii: "1") else { return nil }
        let isToken = method.elementsEqual("POST".utf8) && target.elementsEqual(TokenEndpoint.path.utf8)
        return (isToken, Int(minor - UInt8(ascii: "0")), method.elementsEqual("CONNECT".utf8))
    }

    /// The next `name: value` field, nil at the empty line or at a line that is not a plain field
    /// (the caller then checks `isAtEnd`). The value has its surrounding whitespace removed.
    mutating func field() -> (name: FieldName, value: UnsafeRawBufferPointer.SubSequence)? {
        let start = position
        guard let line = nextLine(), !line.isEmpty else { return nil }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { position = start; return nil }
        let name = line[line.startIndex..<colon]
        let value = line[(colon + 1)...]
        guard !name.isEmpty, name.allSatisfy(isTokenCharacter),
              value.allSatisfy({ $0 == tab || ($0 >= space && $0 != 0x7F) }) else {
            position = start
            return nil
        }
        return (FieldName(name), value.trimmingBlanks)
    }

    /// The line at `position` without its CRLF; nil at the end or at a CR not followed by LF
    /// (the head was checked to end in CRLF CRLF and to have a CR before every LF).
    private mutating func nextLine() -> UnsafeRawBufferPointer.SubSequence? {
        guard position < bytes.count else { return nil }
        var end = position
        while bytes[end] != cr { end += 1 }
        guard bytes[end + 1] == lf else { return nil }
        let line = bytes[position..<end]
        position = end + 2
        return line
    }
}

/// RFC 9110 §5.6.2 tchar.
private func isTokenCharacter(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        return true
    default:
        return "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }
}
