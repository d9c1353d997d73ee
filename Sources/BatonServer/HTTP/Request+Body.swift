import BatonCore
import Hummingbird

extension Request {
    /// The body as a form (RFC 6749 requests): the media type must be form-urlencoded and the body
    /// at most `limit` bytes (413 beyond).
    mutating func formBody(limit: Int) async throws -> FormBody {
        try requireMediaType(headers[.contentType], "application/x-www-form-urlencoded")
        let buffer = try await collectBody(upTo: limit)
        return try FormBody(buffer)
    }

    /// The body's bytes for a JSON request (at most `limit`).
    mutating func jsonBody(limit: Int) async throws -> [UInt8] {
        try requireMediaType(headers[.contentType], "application/json")
        let buffer = try await collectBody(upTo: limit)
        return Array(buffer.readableBytesView)
    }
}

/// Refuses (415) a `Content-Type` whose media type, parameters and case aside, is not `expected`.
func requireMediaType(_ contentType: String?, _ expected: String) throws {
    guard let contentType, mediaType(of: contentType).elementsEqual(expected.utf8, by: { asciiLowercased($0) == $1 }) else {
        throw BatonError(.unsupportedMediaType, hint: "the request body must be \(expected)")
    }
}

/// The media type of a `Content-Type` value: before any `;`, without surrounding spaces or tabs.
private func mediaType(of contentType: String) -> Substring.UTF8View {
    var type = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }
    while let first = type.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { type = type.dropFirst() }
    while let last = type.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { type = type.dropLast() }
    return type
}

private func asciiLowercased(_ byte: UInt8) -> UInt8 {
    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
}
