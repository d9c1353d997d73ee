/// A JSON value (RFC 8259) as parsed strictly by `JSONValue.parse`.
///
/// ```swift
/// let value = try JSONValue.parse(Array(#"{"b":[1.50,true],"a":null}"#.utf8))
/// var bytes: [UInt8] = []
/// value.appendJSON(to: &bytes)   // {"a":null,"b":[1.50,true]}
/// ```
///
/// Equality compares numbers as text (`1.0` is not `1`) and object members in order.
public enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number as its exact text, which follows the RFC 8259 grammar (`-0`, `12`, `1.5e-3`).
    case number(String)
    /// A string, its escapes decoded.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object's members in body order; a parsed object never repeats a name.
    case object([(name: String, value: JSONValue)])

    /// Longest name (or other client text) a hint quotes; longer text is cut to 37 characters and `...`.
    static let hintTextLimit = 40

    /// Parses one whole JSON document strictly, throwing `invalid_request` with a hint naming the problem.
    ///
    /// The document is one value with optional space, tab, CR or LF around it. Refused: invalid UTF-8
    /// (`invalid UTF-8 at byte N`), a repeated member name in any object (`duplicate member 'NAME'`;
    /// names Swift considers equal, canonically equivalent spellings included, are repeats), nesting
    /// of arrays and objects deeper than 32 (`JSON nested deeper than 32 levels`), and anything else
    /// outside the RFC 8259 grammar (`malformed JSON at byte N`, N the offset of the first byte that
    /// cannot be accepted): trailing bytes, comments, trailing commas, bad or lone-surrogate escapes,
    /// unescaped control characters, leading zeros, `+1`, `.5`, `1.`, `NaN`, `Infinity`.
    public static func parse(_ bytes: some Collection<UInt8>) throws -> JSONValue {
        try JSONParser.parse(Array(bytes))
    }

    /// Appends the value as compact JSON: object members sorted by name (UTF-8 byte order), strings
    /// escaped as `JSONWriter.appendString` does, numbers as their original text.
    public func appendJSON(to bytes: inout [UInt8]) {
        switch self {
        case .null: bytes += "null".utf8
        case .bool(let value): bytes += (value ? "true" : "false").utf8
        case .number(let text): bytes += text.utf8
        case .string(let text): JSONWriter.appendString(text.utf8, to: &bytes)
        case .array(let elements): Self.append(elements, to: &bytes)
        case .object(let members): Self.append(members, to: &bytes)
        }
    }

    /// Equal when of the same kind with equal contents; numbers compare as text, members in order.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(left), .bool(right)): left == right
        case let (.number(left), .number(right)): left == right
        case let (.string(left), .string(right)): left == right
        case let (.array(left), .array(right)): left == right
        case let (.object(left), .object(right)):
            left.elementsEqual(right) { $0.name == $1.name && $0.value == $1.value }
        default: false
        }
    }

    /// `text` made safe to quote in a hint: printable ASCII only (anything else becomes `?`), at
    /// most `hintTextLimit` characters, so a hostile name cannot put control characters in a message.
    static func printable(_ text: String) -> String {
        let characters = text.unicodeScalars.prefix(hintTextLimit + 1).map { scalar in
            (0x20...0x7E).contains(scalar.value) ? Character(scalar) : "?"
        }
        guard characters.count > hintTextLimit else { return String(characters) }
        return String(characters.prefix(hintTextLimit - 3)) + "..."
    }

    private static func append(_ elements: [JSONValue], to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            element.appendJSON(to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private static func append(_ members: [(name: String, value: JSONValue)], to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        let sorted = members.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        for (index, member) in sorted.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(member.name.utf8, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            member.value.appendJSON(to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }
}
