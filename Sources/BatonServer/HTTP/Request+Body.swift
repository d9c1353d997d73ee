import BatonCore
import Hummingbird

extension Request {
    /// The body as a form (RFC 6749 requests): the media type must be form-urlencoded and the body
    /// at most `limit` bytes (413 beyond).
    mutating func formBody(limit: Int) async throws -> FormBody {
        try requireMediaType("application/x-www-form-urlencoded")
        let buffer = try await collectBody(upTo: limit)
        return try FormBody(buffer.readableBytesView)
    }

    /// The body's bytes for a JSON request (at most `limit`).
    mutating func jsonBody(limit: Int) async throws -> [UInt8] {
        try requireMediaType("application/json")
        let buffer = try await collectBody(upTo: limit)
        return Array(buffer.readableBytesView)
    }

    private func requireMediaType(_ expected: String) throws {
        let type = headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == expected else {
            throw BatonError(.unsupportedMediaType, hint: "the request body must be \(expected)")
        }
    }
}
