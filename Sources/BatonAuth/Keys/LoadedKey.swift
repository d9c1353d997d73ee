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

    /// Signs `claims` as an RFC 9068 access token (`typ: at+jwt`), assembled byte by byte.
    public func sign(_ claims: AccessClaims) throws -> [UInt8] {
        var token = headerPrefix
        token.reserveCapacity(headerPrefix.count + 600)
        Base64URL.encode(claims.json(), into: &token)
        try JWS.appendSignature(to: &token, with: signingKey)
        return token
    }
}
