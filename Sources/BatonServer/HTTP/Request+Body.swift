import BatonCore
import Hummingbird

extension Request {
    /// The body as a form (RFC 6749 requests): the media type must be form-urlencoded and the body
    /// at most `limit` bytes (413 beyond). With `allowEmpty`, a request without a body (no
    /// `Content-Type` needed) is an empty form.
    mutating func formBody(limit: Int, allowEmpty: Bool = false) async throws -> FormBody {
        if allowEmpty && headers[.contentType] == nil && (headers[.contentLength] ?? "0") == "0" { return try FormBody([]) }
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
    // The media type is what comes before any `;`, without surrounding blanks.
    guard let contentType, contentType.utf8.prefix(while: { $0 != UInt8(ascii: ";") }).trimmingBlanks
        .equalsIgnoringASCIICase(expected.utf8) else {
        throw HTTPError.unsupportedMediaType(expected: expected)
    }
}
