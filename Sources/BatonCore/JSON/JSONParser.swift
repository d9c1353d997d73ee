/// The strict RFC 8259 parser behind `JSONValue.parse`: one pass over the bytes after a UTF-8
/// check, recursion bounded by `maximumDepth`, every refusal an `invalid_request`.
struct JSONParser {
    /// Deepest nesting of arrays and objects accepted; the top-level array or object is depth 1.
    static let maximumDepth = 32

    private let bytes: [UInt8]
    private var index = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses `bytes` as one whole document (see `JSONValue.parse` for what is refused).
    static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try validateUTF8(bytes)
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.malformed() }
        return value
    }

    /// Refuses invalid UTF-8 (overlong forms, surrogates and code points past U+10FFFF included).
    private static func validateUTF8(_ bytes: [UInt8]) throws {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return
            case .error: throw BatonError(.invalidRequest, hint: "invalid UTF-8 at byte \(offset)")
            }
        }
    }

    /// The value starting at `index`, inside `depth` arrays and objects.
    private mutating func value(depth: Int) throws -> JSONValue {
        switch peek() {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    private mutating func object(depth: Int) throws -> JSONValue {
        try checkDepth(depth)
        index += 1
        var members: [(name: String, value: JSONValue)] = []
        var names = Set<String>()
        skipWhitespace()
        if consume("}") { return .object(members) }
        repeat {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw malformed() }
            let name = try string()
            guard names.insert(name).inserted else {
                throw BatonError(.invalidRequest, hint: "duplicate member '\(JSONValue.printable(name))'")
            }
            skipWhitespace()
            try expect(":")
            skipWhitespace()
            members.append((name, try value(depth: depth)))
            skipWhitespace()
        } while consume(",")
        try expect("}")
        return .object(members)
    }

    private mutating func array(depth: Int) throws -> JSONValue {
        try checkDepth(depth)
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if consume("]") { return .array(elements) }
        repeat {
            skipWhitespace()
            elements.append(try value(depth: depth))
            skipWhitespace()
        } while consume(",")
        try expect("]")
        return .array(elements)
    }

    private func checkDepth(_ depth: Int) throws {
        guard depth <= Self.maximumDepth else {
            throw BatonError(.invalidRequest, hint: "JSON nested deeper than \(Self.maximumDepth) levels")
        }
    }

    /// The string whose opening quote is at `index`, escapes decoded.
    private mutating func string() throws -> String {
        index += 1
        var text: [UInt8] = []
        var runStart = index
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                text += bytes[runStart..<index]
                index += 1
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                text += bytes[runStart..<index]
                try escape(into: &text)
                runStart = index
            case ..<0x20:
                throw malformed()
            default:
                index += 1
            }
        }
        throw malformed()
    }

    /// Decodes the escape whose backslash is at `index` and appends its UTF-8.
    private mutating func escape(into text: inout [UInt8]) throws {
        let start = index
        index += 1
        if consume("u") {
            UTF8.encode(try unicodeEscape(from: start)) { text.append($0) }
        } else if let byte = peek(), let decoded = Self.unescaped(byte) {
            text.append(decoded)
            index += 1
        } else {
            throw malformed()
        }
    }

    /// The byte a one-letter escape (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`) stands for.
    private static func unescaped(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): letter
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }

    /// The scalar of a `\uXXXX` escape (whose hex digits start at `index`), joining a surrogate
    /// pair; a lone surrogate is malformed at the backslash `start` of its escape.
    private mutating func unicodeEscape(from start: Int) throws -> Unicode.Scalar {
        var codePoint = try hexQuad()
        if (0xD800...0xDBFF).contains(codePoint), peek() == UInt8(ascii: "\\"), peek(offset: 1) == UInt8(ascii: "u") {
            index += 2
            let low = try hexQuad()
            guard (0xDC00...0xDFFF).contains(low) else { throw malformed(at: start) }
            codePoint = 0x10000 + ((codePoint - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(codePoint) else { throw malformed(at: start) }
        return scalar
    }

    private mutating func hexQuad() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = Self.hexDigit(byte) else { throw malformed() }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// The text of the number at `index`: `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    private mutating func number() throws -> String {
        let start = index
        consume("-")
        if !consume("0") { try digits() }
        if consume(".") { try digits() }
        if consume("e") || consume("E") {
            if !consume("+") { consume("-") }
            try digits()
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// One or more decimal digits.
    private mutating func digits() throws {
        guard let first = peek(), Self.isDigit(first) else { throw malformed() }
        while let byte = peek(), Self.isDigit(byte) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private mutating func literal(_ word: String) throws {
        for byte in word.utf8 {
            guard peek() == byte else { throw malformed() }
            index += 1
        }
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    /// Steps over `ascii` if it is next; whether it was.
    @discardableResult
    private mutating func consume(_ ascii: Unicode.Scalar) -> Bool {
        guard peek() == UInt8(ascii: ascii) else { return false }
        index += 1
        return true
    }

    private mutating func expect(_ ascii: Unicode.Scalar) throws {
        guard consume(ascii) else { throw malformed() }
    }

    private func peek(offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private func malformed(at offset: Int? = nil) -> BatonError {
        BatonError(.invalidRequest, hint: "malformed JSON at byte \(offset ?? index)")
    }
}
