#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A JWS in compact serialization (RFC 7515 §7.1): `base64url(header).base64url(payload).base64url(signature)`.
///
/// Signing works on bytes so the JWT hot path can assemble its signing input directly; parsing checks
/// the shape (three segments, strict base64url, a JSON header naming a supported `alg`, no `crit`) and
/// `verify(with:)` checks the algorithm against the key before the signature.
///
/// ```swift
/// let header = JWS.protectedHeader(for: key, type: "at+jwt")
/// let token = try JWS.sign(header: header, payload: claims, with: key)
/// let jws = try JWS(compact: token)
/// try jws.verify(with: jwks[jws.keyID])
/// ```
public struct JWS: Sendable {
    /// The decoded protected header (JSON).
    public let header: [UInt8]
    /// The decoded payload.
    public let payload: [UInt8]
    /// The header's `alg`.
    public let algorithm: SigningAlgorithm
    /// The header's `kid`, when present.
    public let keyID: String?
    /// The header's `typ`, when present.
    public let type: String?

    private let signingInput: [UInt8]
    private let signature: [UInt8]

    /// Parses a compact JWS without verifying it; throws `CryptoError.malformedJWS` or `.unsupportedAlgorithm`.
    public init(compact: some Collection<UInt8>) throws {
        let bytes = Array(compact)
        let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }
        guard dots.count == 2 else {
            throw CryptoError(.malformedJWS, "a compact JWS has 3 segments, not \(dots.count + 1)")
        }
        let headerPart = bytes[..<dots[0]]
        let payloadPart = bytes[(dots[0] + 1)..<dots[1]]
        let signaturePart = bytes[(dots[1] + 1)...]
        guard !headerPart.isEmpty, !signaturePart.isEmpty else {
            throw CryptoError(.malformedJWS, "a compact JWS needs a header and a signature")
        }
        do {
            header = try Base64URL.decode(headerPart)
            payload = try Base64URL.decode(payloadPart)
            signature = try Base64URL.decode(signaturePart)
        } catch let error as CryptoError {
            throw CryptoError(.malformedJWS, "a JWS segment is not base64url: \(error.message)")
        }
        let members: HeaderMembers
        do {
            members = try JSONDecoder().decode(HeaderMembers.self, from: Data(header))
        } catch {
            throw CryptoError(.malformedJWS, "the JWS header is not a JSON object with a string alg")
        }
        guard members.crit == nil else {
            throw CryptoError(.malformedJWS, "the JWS header has critical extensions (crit), none are understood")
        }
        guard let algorithm = SigningAlgorithm(rawValue: members.alg) else {
            throw CryptoError(.unsupportedAlgorithm, "unsupported JWS alg \(members.alg)")
        }
        self.algorithm = algorithm
        self.keyID = members.kid
        self.type = members.typ
        self.signingInput = Array(bytes[..<dots[1]])
    }

    /// Parses a compact JWS string without verifying it.
    public init(compact: String) throws {
        try self.init(compact: compact.utf8)
    }

    /// Throws `CryptoError.algorithmMismatch` if the header's `alg` is not the key's, and
    /// `CryptoError.invalidSignature` if the signature does not verify.
    public func verify(with key: VerificationKey) throws {
        guard algorithm == key.algorithm else {
            throw CryptoError(
                .algorithmMismatch, "the JWS is \(algorithm.rawValue) but the key is \(key.algorithm.rawValue)")
        }
        guard key.isValidSignature(signature, for: signingInput) else {
            throw CryptoError(.invalidSignature, "the JWS signature does not verify with key \(key.keyID)")
        }
    }

    /// The compact JWS of `payload` under `header`, which must name `key`'s algorithm (see `protectedHeader`).
    public static func sign(header: [UInt8], payload: [UInt8], with key: SigningKey) throws -> [UInt8] {
        var token: [UInt8] = []
        token.reserveCapacity(
            Base64URL.encodedCount(header.count) + Base64URL.encodedCount(payload.count) + 2
                + Base64URL.encodedCount(key.maximumSignatureByteCount))
        Base64URL.encode(header, into: &token)
        token.append(UInt8(ascii: "."))
        Base64URL.encode(payload, into: &token)
        try appendSignature(to: &token, with: key)
        return token
    }

    /// Turns a signing input (`base64url(header).base64url(payload)`, built by the caller) into a compact
    /// JWS in place, by appending `.` and the base64url signature.
    public static func appendSignature(to signingInput: inout [UInt8], with key: SigningKey) throws {
        let signature = try key.sign(signingInput)
        signingInput.append(UInt8(ascii: "."))
        Base64URL.encode(signature, into: &signingInput)
    }

    /// A protected header for `key`: `{"alg":…,"kid":…}` plus `"typ"` when given, in that order.
    public static func protectedHeader(for key: SigningKey, type: String? = nil) -> [UInt8] {
        var header = Array(#"{"alg":""#.utf8) + Array(key.algorithm.rawValue.utf8)
        header += Array(#"","kid":""#.utf8) + Array(key.keyID.utf8) + [UInt8(ascii: "\"")]
        if let type {
            precondition(type.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") },
                         "a JWS typ is a plain media type")
            header += Array(#","typ":""#.utf8) + Array(type.utf8) + [UInt8(ascii: "\"")]
        }
        return header + [UInt8(ascii: "}")]
    }

    /// The header members BatonCrypto reads.
    private struct HeaderMembers: Decodable {
        var alg: String
        var kid: String?
        var typ: String?
        var crit: [String]?
    }
}
