import BatonCore
import BatonCrypto
import Foundation

/// The one secret every other key is derived from (HKDF): refresh-token MACs, subject shards,
/// and the key that seals signing keys. At least 32 bytes, given as base64 or in a file.
public struct MasterSecret: Sendable {
    let bytes: [UInt8]

    /// The fewest bytes a master secret may have.
    public static let minimumByteCount = 32

    /// Creates a master secret from raw bytes.
    public init(bytes: [UInt8]) throws {
        guard bytes.count >= Self.minimumByteCount else {
            throw ConfigurationError("the master secret must be at least \(Self.minimumByteCount) bytes (it has \(bytes.count))")
        }
        self.bytes = bytes
    }

    /// Parses base64 (standard or URL alphabet, padding optional).
    public init(base64 text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let urlSafe = trimmed.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        guard let bytes = try? Base64URL.decode(urlSafe) else {
            throw ConfigurationError("the master secret is not valid base64")
        }
        try self.init(bytes: bytes)
    }

    /// Reads the secret from `value`: the path of a file that holds it, or base64 text. A value
    /// naming an existing file is that file (a path may look like base64url); anything else must
    /// be base64, which may itself contain or start with `/`. Errors never repeat `value`.
    public static func load(_ value: String) throws -> MasterSecret {
        if value.contains("/"), let contents = FileManager.default.contents(atPath: value) {
            return try MasterSecret(base64: String(decoding: contents, as: UTF8.self))
        }
        do {
            return try MasterSecret(base64: value)
        } catch {
            throw ConfigurationError("the master secret is neither base64 of at least \(minimumByteCount) bytes nor a readable file")
        }
    }

    /// Generates a new random 32-byte secret.
    public static func generate() throws -> MasterSecret {
        try MasterSecret(bytes: try Random.bytes(count: 32))
    }

    /// The secret as standard base64 (which never starts with `-`, so it is safe after
    /// `--master-secret` on a command line), for writing it to a file.
    public var base64: String { Data(bytes).base64EncodedString() }
}

extension MasterSecret: RedactedDescription {
    /// Nothing: not even the secret's length is shown.
    public var publicFields: KeyValuePairs<String, Any> { [:] }
}
