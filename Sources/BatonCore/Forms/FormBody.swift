/// An `application/x-www-form-urlencoded` body, decoded at the byte level.
/// RFC 6749 §3.2: a parameter sent twice, or bytes that are not UTF-8, are `invalid_request`.
public struct FormBody: Sendable {
    /// The parameters in body order; a form has a handful, so a scan beats hashing.
    private var fields: [(name: String, value: String)] = []

    /// More parameters than any Baton endpoint takes are refused, which also bounds the
    /// duplicate check.
    public static let parameterLimit = 64

    /// Parses the body's bytes.
    public init(_ bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBytes { try FormBody($0) }
    }

    /// Parses the body's bytes.
    public init(_ bytes: UnsafeRawBufferPointer) throws {
        var start = 0
        while start <= bytes.count {
            var end = start
            var equals = -1
            while end < bytes.count, bytes[end] != UInt8(ascii: "&") {
                if equals < 0, bytes[end] == UInt8(ascii: "=") { equals = end }
                end += 1
            }
            defer { start = end + 1 }
            guard end > start else { continue }
            let name = try Self.decode(UnsafeRawBufferPointer(rebasing: bytes[start..<(equals < 0 ? end : equals)]))
            let value = equals < 0 ? "" : try Self.decode(UnsafeRawBufferPointer(rebasing: bytes[(equals + 1)..<end]))
            guard !name.isEmpty else { continue }
            guard !fields.contains(where: { $0.name == name }) else {
                throw BatonError(.invalidRequest, hint: "parameter '\(Self.printable(name))' is repeated")
            }
            guard fields.count < Self.parameterLimit else {
                throw BatonError(.invalidRequest, hint: "the form body has more than \(Self.parameterLimit) parameters")
            }
            fields.append((name, value))
        }
    }

    /// The value of a parameter; an empty value counts as absent (RFC 6749 §3.1).
    public subscript(_ name: String) -> String? {
        guard let value = fields.first(where: { $0.name == name })?.value, !value.isEmpty else { return nil }
        return value
    }

    /// The value of a required parameter, or `invalid_request` naming it.
    public func required(_ name: String) throws -> String {
        guard let value = self[name] else { throw BatonError(.invalidRequest, hint: "missing parameter '\(name)'") }
        return value
    }

    /// Decodes one `application/x-www-form-urlencoded` component: `+` is a space, `%XX` a byte.
    public static func decode(_ component: UnsafeRawBufferPointer) throws -> String {
        guard component.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return try utf8(component)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.count)
        var index = 0
        while index < component.count {
            let byte = component[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < component.count, let high = hexValue(component[index + 1]),
                      let low = hexValue(component[index + 2])
                else { throw BatonError(.invalidRequest, hint: "malformed percent-encoding in the form body") }
                bytes.append(high << 4 | low)
                index += 2
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        return try bytes.withUnsafeBytes(utf8)
    }

    private static func utf8(_ bytes: UnsafeRawBufferPointer) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw BatonError(.invalidRequest, hint: "the form body is not valid UTF-8")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x37
        case 0x61...0x66: return byte - 0x57
        default: return nil
        }
    }

    /// A parameter name fit for an error message: printable ASCII, at most 40 characters.
    public static func printable(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }.prefix(40).map(Character.init))
    }
}
