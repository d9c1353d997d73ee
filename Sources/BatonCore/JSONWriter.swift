/// Writes JSON straight into bytes, for the responses and tokens on the hot path (no
/// JSONEncoder, no Foundation strings). Members are written in the order they are added.
///
/// ```swift
/// var json = JSONWriter()
/// json.member("token_type", "Bearer")
/// json.member("expires_in", 300)
/// let bytes = json.finish()   // {"token_type":"Bearer","expires_in":300}
/// ```
public struct JSONWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]
    private var needsComma = false

    /// Starts an object.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    /// Starts an object at the end of `bytes` (which the writer takes over; `finish` hands it back).
    public init(extending bytes: consuming [UInt8]) {
        self.bytes = bytes
        self.bytes.append(UInt8(ascii: "{"))
    }

    /// Adds a string member whose value `write` appends itself, unescaped: only for values whose
    /// characters a JSON string holds as they are (a JWS, a refresh token), which are then written
    /// once, in place. Returns where the value lies in the bytes.
    public mutating func member(_ name: String, unescaped write: (inout [UInt8]) throws -> Void) rethrows -> Range<Int> {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        let start = bytes.count
        try write(&bytes)
        let end = bytes.count
        bytes.append(UInt8(ascii: "\""))
        return start..<end
    }

    /// Adds a string member.
    public mutating func member(_ name: String, _ value: String) {
        key(name)
        Self.appendString(value.utf8, to: &bytes)
    }

    /// Adds a string member from bytes (UTF-8).
    public mutating func member(_ name: String, bytes value: some Collection<UInt8>) {
        key(name)
        Self.appendString(value, to: &bytes)
    }

    /// Adds an integer member.
    public mutating func member(_ name: String, _ value: Int64) {
        key(name)
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        DecimalDigits.append(value.magnitude, to: &bytes)
    }

    /// Adds a boolean member.
    public mutating func member(_ name: String, _ value: Bool) {
        key(name)
        bytes += (value ? "true" : "false").utf8
    }

    /// Adds a member whose value is already valid JSON.
    public mutating func member(_ name: String, rawJSON value: some Collection<UInt8>) {
        key(name)
        bytes += value
    }

    /// Appends members that are already valid JSON (`"a":1,"b":2`), e.g. a session's extra claims.
    public mutating func rawMembers(_ members: some Collection<UInt8>) {
        guard !members.isEmpty else { return }
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes += members
        needsComma = true
    }

    /// Closes the object and returns its bytes.
    public consuming func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    private mutating func key(_ name: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
        Self.appendString(name.utf8, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Appends `value` as a JSON string literal, escaping quotes, backslashes and control characters.
    public static func appendString(_ value: some Collection<UInt8>, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        if value.withContiguousStorageIfAvailable({ appendEscaped($0, to: &bytes) }) == nil {
            Array(value).withUnsafeBufferPointer { appendEscaped($0, to: &bytes) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Copies runs that need no escaping in one go; tokens and ids never need any.
    private static func appendEscaped(_ value: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        var runStart = 0
        for index in value.indices {
            let byte = value[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[runStart..<index]))
            runStart = index + 1
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            default:
                bytes += Array("\\u00".utf8) + Hex.encode(CollectionOfOne(byte))
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[runStart...]))
    }
}
