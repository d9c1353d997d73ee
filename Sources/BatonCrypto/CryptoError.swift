/// An error from BatonCrypto, described in words that are safe to log: never key material or secrets.
public struct CryptoError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, for callers that branch on it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// Input bytes are not valid base64url, DER or JSON.
        public static let invalidEncoding = Code(name: "invalidEncoding")
        /// A key has the wrong length, type, curve or size, or cannot be parsed.
        public static let invalidKey = Code(name: "invalidKey")
        /// The algorithm is not one BatonCrypto signs or verifies with.
        public static let unsupportedAlgorithm = Code(name: "unsupportedAlgorithm")
        /// A JWS is not a well-formed compact serialization.
        public static let malformedJWS = Code(name: "malformedJWS")
        /// A JWS names a different algorithm than the key it is verified with.
        public static let algorithmMismatch = Code(name: "algorithmMismatch")
        /// A signature does not verify.
        public static let invalidSignature = Code(name: "invalidSignature")
        /// Sealed data, its tag or its associated data were altered (AES-GCM open failed).
        public static let authenticationFailed = Code(name: "authenticationFailed")
        /// OpenSSL failed for a reason the input does not explain (allocation, provider).
        public static let library = Code(name: "library")

        /// The code's name, as used in log lines.
        public var description: String { name }
    }

    /// The kind of failure.
    public let code: Code
    /// What failed, including OpenSSL's error queue when it had something to say.
    public let message: String
    /// The source file that raised the error.
    public let file: String
    /// The source line that raised the error.
    public let line: Int

    /// Creates an error; `file` and `line` default to the caller's location.
    public init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    /// `code: message (file:line)`.
    public var description: String { "\(code): \(message) (\(file):\(line))" }
}
