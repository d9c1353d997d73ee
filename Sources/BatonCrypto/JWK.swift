#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A public JSON Web Key (RFC 7517) for one of the `SigningAlgorithm`s: EC P-256 (`x`, `y`),
/// OKP Ed25519 (`x`) or RSA (`n`, `e`), with its key ID.
///
/// Parsed JWKs keep their members exactly as given (private members such as `d` are dropped).
/// `json` writes members in lexicographic order with no whitespace, so the same key always produces
/// the same bytes.
///
/// ```swift
/// let jwk = try JWK(json: #"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#)
/// let kid = try jwk.thumbprint()   // "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
/// ```
public struct JWK: Sendable, Hashable {
    /// `kty`: "EC", "OKP" or "RSA".
    public var keyType: String
    /// `crv`: "P-256" or "Ed25519" (nil for RSA).
    public var curve: String?
    /// `x`: base64url coordinate (EC) or public key (OKP).
    public var x: String?
    /// `y`: base64url coordinate (EC).
    public var y: String?
    /// `n`: base64url RSA modulus.
    public var modulus: String?
    /// `e`: base64url RSA public exponent.
    public var exponent: String?
    /// `kid`: the key ID; BatonCrypto's keys use their RFC 7638 thumbprint.
    public var keyID: String?
    /// `alg`: the algorithm the key is for, when stated.
    public var algorithm: String?
    /// `use`: "sig" for signing keys, when stated.
    public var use: String?

    /// Creates a JWK from its members.
    public init(
        keyType: String, curve: String? = nil, x: String? = nil, y: String? = nil, modulus: String? = nil,
        exponent: String? = nil, keyID: String? = nil, algorithm: String? = nil, use: String? = nil
    ) {
        self.keyType = keyType
        self.curve = curve
        self.x = x
        self.y = y
        self.modulus = modulus
        self.exponent = exponent
        self.keyID = keyID
        self.algorithm = algorithm
        self.use = use
    }

    /// Parses a JWK from JSON; throws `CryptoError.invalidEncoding` when it is not a JSON object with `kty`.
    public init(json: some Collection<UInt8>) throws {
        do {
            self = try JSONDecoder().decode(Members.self, from: Data(json)).jwk
        } catch {
            throw CryptoError(.invalidEncoding, "not a JWK: \(error)")
        }
    }

    /// Parses a JWK from a JSON string.
    public init(json: String) throws {
        try self.init(json: json.utf8)
    }

    /// The JWK as compact JSON with members in lexicographic order.
    public var json: [UInt8] {
        var writer = ObjectWriter()
        writer.add("alg", algorithm)
        writer.add("crv", curve)
        writer.add("e", exponent)
        writer.add("kid", keyID)
        writer.add("kty", keyType)
        writer.add("n", modulus)
        writer.add("use", use)
        writer.add("x", x)
        writer.add("y", y)
        return writer.finish()
    }

    /// The RFC 7638 thumbprint: base64url SHA-256 of the required members in canonical form.
    public func thumbprint() throws -> String {
        var writer = ObjectWriter()
        switch keyType {
        case "EC":
            writer.add("crv", try required(curve, "crv"))
            writer.add("kty", keyType)
            writer.add("x", try required(x, "x"))
            writer.add("y", try required(y, "y"))
        case "OKP":
            writer.add("crv", try required(curve, "crv"))
            writer.add("kty", keyType)
            writer.add("x", try required(x, "x"))
        case "RSA":
            writer.add("e", try required(exponent, "e"))
            writer.add("kty", keyType)
            writer.add("n", try required(modulus, "n"))
        default:
            throw CryptoError(.unsupportedAlgorithm, "no thumbprint for key type \(keyType)")
        }
        return Base64URL.encodeToString(try SHA256.hash(writer.finish()))
    }

    private func required(_ member: String?, _ name: String) throws -> String {
        guard let member else { throw CryptoError(.invalidKey, "a \(keyType) JWK needs \"\(name)\"") }
        return member
    }
}

extension JWK {
    /// The JSON members BatonCrypto reads; others (including private ones) are ignored.
    private struct Members: Decodable {
        var kty: String
        var crv: String?
        var x: String?
        var y: String?
        var n: String?
        var e: String?
        var kid: String?
        var alg: String?
        var use: String?

        var jwk: JWK {
            JWK(keyType: kty, curve: crv, x: x, y: y, modulus: n, exponent: e, keyID: kid, algorithm: alg, use: use)
        }
    }

    /// Writes a flat JSON object of string members, in the order they are added.
    private struct ObjectWriter {
        private var bytes: [UInt8] = [UInt8(ascii: "{")]

        mutating func add(_ name: String, _ value: String?) {
            guard let value else { return }
            if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
            appendString(name)
            bytes.append(UInt8(ascii: ":"))
            appendString(value)
        }

        mutating func finish() -> [UInt8] {
            bytes.append(UInt8(ascii: "}"))
            return bytes
        }

        /// Appends a JSON string literal, escaping what RFC 8259 §7 requires.
        private mutating func appendString(_ string: String) {
            bytes.append(UInt8(ascii: "\""))
            for byte in string.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    bytes.append(UInt8(ascii: "\\"))
                    bytes.append(byte)
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                default:
                    bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }
}
