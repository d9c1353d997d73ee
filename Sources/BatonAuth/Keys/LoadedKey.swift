import BatonCore
import BatonCrypto

/// A signing key unsealed and ready: its record, its private key, and the first part of every
/// token it signs (`base64url(header).`) computed once.
public struct LoadedKey: Sendable {
    /// The key's record (times, state).
    public let record: SigningKeyRecord
    /// The private key.
    public let signingKey: SigningKey
    private let headerPrefix: [UInt8]

    init(record: SigningKeyRecord, signingKey: SigningKey) {
        self.record = record
        self.signingKey = signingKey
        var prefix = Base64URL.encode(JWS.protectedHeader(for: signingKey, type: "at+jwt"))
        prefix.append(UInt8(ascii: "."))
        headerPrefix = prefix
    }

    /// The key id.
    public var keyID: String { record.keyID }

    /// Signs `claims` as an RFC 9068 access token (`typ: at+jwt`), appended to `bytes` (a
    /// response body): the header, the claims written as JSON and base64url-encoded where they lie,
    /// then the signature over those bytes; no intermediate array holds the token or its payload.
    public func sign(_ claims: AccessClaims, appendingTo bytes: inout [UInt8]) throws {
        let start = bytes.count
        bytes += headerPrefix
        let payload = bytes.count
        claims.appendJSON(to: &bytes)
        Base64URL.encodeInPlace(&bytes, from: payload)
        let signature = try signingKey.sign(bytes[start...])
        bytes.append(UInt8(ascii: "."))
        Base64URL.encode(signature, into: &bytes)
    }
}
