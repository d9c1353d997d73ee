import BatonCrypto

/// An access token (a compact JWS) split at the byte level: the header's `alg` and `kid`, the
/// signing input and the signature. No JSON decoder: the header is searched for the two members.
public struct SignedAccessToken: Sendable {
    /// The header's `alg`.
    public let algorithm: String
    /// The header's `kid`.
    public let keyID: String
    /// `base64url(header).base64url(payload)`.
    public let signingInput: ArraySlice<UInt8>
    /// The decoded signature.
    public let signature: [UInt8]

    private static let alg = JSONField("alg")
    private static let kid = JSONField("kid")

    /// Splits `token`; nil when it is not a three-part JWS whose header names `alg` and `kid`.
    public init?(_ token: [UInt8]) {
        guard let firstDot = token.firstIndex(of: UInt8(ascii: ".")),
              let secondDot = token[(firstDot + 1)...].firstIndex(of: UInt8(ascii: ".")),
              !token[(secondDot + 1)...].contains(UInt8(ascii: ".")),
              let header = try? Base64URL.decode(token[..<firstDot]),
              let signature = try? Base64URL.decode(token[(secondDot + 1)...])
        else { return nil }
        let members: (String, String)? = header.withUnsafeBytes { bytes in
            guard let alg = Self.alg.range(in: bytes), let kid = Self.kid.range(in: bytes) else { return nil }
            return (String(decoding: UnsafeRawBufferPointer(rebasing: bytes[alg]), as: UTF8.self),
                    String(decoding: UnsafeRawBufferPointer(rebasing: bytes[kid]), as: UTF8.self))
        }
        guard let (algorithm, keyID) = members else { return nil }
        self.algorithm = algorithm
        self.keyID = keyID
        self.signingInput = token[..<secondDot]
        self.signature = signature
    }

    /// Whether `key` is of the token's algorithm and its signature verifies.
    public func isValid(with key: VerificationKey) -> Bool {
        key.algorithm.rawValue == algorithm && key.isValidSignature(signature, for: signingInput)
    }
}
