import BatonCore
import NIOCore

/// An `application/x-www-form-urlencoded` body, decoded at the byte level.
/// RFC 6749 §3.2: a parameter sent twice, or bytes that are not UTF-8, are `invalid_request`.
struct FormBody: Sendable {
    private(set) var parameters: [String: String] = [:]

    /// Parses a body held in a buffer (over its raw bytes: indexing a `ByteBufferView` costs more).
    init(_ buffer: ByteBuffer) throws {
        self = try buffer.withUnsafeReadableBytes { try FormBody($0) }
    }

    /// Parses the body's bytes.
    init(_ bytes: some Collection<UInt8>) throws {
        for pair in bytes.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count == 2 ? try Self.decode(parts[1]) : ""
            guard !name.isEmpty else { continue }
            guard parameters.updateValue(value, forKey: name) == nil else {
                throw BatonError(.invalidRequest, hint: "parameter '\(Self.printable(name))' is repeated")
            }
        }
    }

    /// The value of a parameter; an empty value counts as absent (RFC 6749 §3.1).
    subscript(_ name: String) -> String? {
        guard let value = parameters[name], !value.isEmpty else { return nil }
        return value
    }

    /// The value of a required parameter, or `invalid_request` naming it.
    func required(_ name: String) throws -> String {
        guard let value = self[name] else { throw BatonError(.invalidRequest, hint: "missing parameter '\(name)'") }
        return value
    }

    /// Decodes one `application/x-www-form-urlencoded` component: `+` is a space, `%XX` a byte.
    static func decode(_ component: some Collection<UInt8>) throws -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.count)
        var index = component.startIndex
        while index != component.endIndex {
            let byte = component[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                let high = component.index(after: index)
                guard high != component.endIndex, component.index(after: high) != component.endIndex,
                      let h = hexValue(component[high]), let l = hexValue(component[component.index(after: high)])
                else { throw BatonError(.invalidRequest, hint: "malformed percent-encoding in the form body") }
                bytes.append(h << 4 | l)
                index = component.index(after: high)
            } else {
                bytes.append(byte)
            }
            index = component.index(after: index)
        }
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
    static func printable(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }.prefix(40).map(Character.init))
    }
}
