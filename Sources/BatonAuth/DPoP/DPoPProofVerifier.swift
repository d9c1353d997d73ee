import BatonCore
import BatonCrypto

/// Checks the `DPoP` header of a request to one endpoint (RFC 9449 §4.3: the token endpoint, or
/// Baton's revocation endpoint, where a public client proves a bound family's key), purely: no Redis, no clock of its
/// own. Every refusal is a `DPoPProofRefusal`: `invalid_dpop_proof` with a hint naming the problem
/// (never the proof's text), except a missing or stale nonce, which is `use_dpop_nonce` (§8), and
/// a reason for the metrics.
///
/// The checks, in order: exactly one header value of at most 8 KiB; a compact JWS of three strict
/// base64url segments; a header with `typ` `dpop+jwt`, `alg` ES256, EdDSA or RS256, no `crit`, and
/// a public `jwk` of that algorithm's key type (RSA of at least 2048 bits); the signature under that
/// key; then the claims `jti` (1 to 128 visible ASCII characters), `htm` (the request's method),
/// `htu` (the verifier's endpoint, compared after `DPoPTargetURI` normalisation), `iat` (within the
/// window either side of now), and last the `nonce`. An `ath` claim is ignored.
///
/// ```swift
/// let verifier = try DPoPProofVerifier(tokenEndpoint: issuer + "/oauth/token", nonces: nonces)
/// let proof = try verifier.verify(headerValues: dpopHeaders, method: "POST", now: clock.milliseconds(), nonceRequired: true)
/// guard proof.thumbprint == family.jkt else { ... }
/// ```
public struct DPoPProofVerifier: Sendable {
    /// The default `iat` window in seconds, either side of now.
    public static let defaultIssuedAtWindowSeconds: Int64 = 60
    /// The longest `DPoP` header value read, in bytes: a proof with a 4096-bit RSA key is about 2 KiB.
    public static let maximumProofByteCount = 8 * 1024
    /// The longest `jti` accepted, in characters.
    public static let maximumJWTIDLength = 128
    /// JWK members that only a private (or symmetric) key has (RFC 7518 §6.2.2, §6.3.2, §6.4).
    private static let privateKeyMembers: Set<String> = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]

    /// The endpoint's URL in `DPoPTargetURI` form: what a proof's `htu` must equal.
    public let endpoint: String
    /// What the endpoint is called in refusals ("token endpoint").
    public let endpointName: String
    /// How far `iat` may be from now, in seconds, in either direction.
    public let issuedAtWindowSeconds: Int64
    /// The nonces proofs must carry when one is required; nil when nonces are off. The server asks
    /// it for the `DPoP-Nonce` it sends.
    public let nonces: DPoPNonces?
    /// The keys of recent proofs' headers (shared by the verifiers of one worker).
    public let keyCache: DPoPKeyCache

    /// A verifier for proofs of requests to `tokenEndpoint`, an absolute http(s) URL (throws
    /// `ConfigurationError` otherwise, or for a negative window).
    public init(
        tokenEndpoint: String, issuedAtWindowSeconds: Int64 = defaultIssuedAtWindowSeconds, nonces: DPoPNonces? = nil,
        keyCache: DPoPKeyCache = DPoPKeyCache()
    ) throws {
        try self.init(endpoint: tokenEndpoint, named: "token endpoint", issuedAtWindowSeconds: issuedAtWindowSeconds, nonces: nonces,
                      keyCache: keyCache)
    }

    /// A verifier for proofs of requests to `endpoint`, an absolute http(s) URL called `name` in
    /// refusals (throws `ConfigurationError` when it is not one, or for a negative window).
    public init(
        endpoint: String, named name: String, issuedAtWindowSeconds: Int64 = defaultIssuedAtWindowSeconds, nonces: DPoPNonces? = nil,
        keyCache: DPoPKeyCache = DPoPKeyCache()
    ) throws {
        guard let normalized = DPoPTargetURI.normalized(endpoint) else {
            throw ConfigurationError("the \(name) \(endpoint) is not an absolute http or https URL")
        }
        guard issuedAtWindowSeconds >= 0 else {
            throw ConfigurationError("the DPoP iat window must not be negative (it is \(issuedAtWindowSeconds) s)")
        }
        self.endpoint = normalized
        self.endpointName = name
        self.issuedAtWindowSeconds = issuedAtWindowSeconds
        self.nonces = nonces
        self.keyCache = keyCache
    }

    /// Checks the request's `DPoP` header values for a request with `method` received at `now`
    /// (milliseconds since 1970). With nonces on, a proof must carry a valid nonce when
    /// `nonceRequired`, and any nonce it carries must be valid; with nonces off a nonce is ignored.
    /// `alternativeEndpoint` (an absolute URL) is a second URL `htu` may name: the same route reached
    /// through the app's own origin (cookie mode behind the app's reverse proxy).
    /// Throws `DPoPProofRefusal` for a proof it refuses.
    public func verify(headerValues: [String], method: String, now: Int64, nonceRequired: Bool,
                       alternativeEndpoint: String? = nil) throws -> DPoPProof {
        guard let compact = headerValues.first else { throw Self.invalid("missing DPoP proof", .missing) }
        guard headerValues.count == 1 else { throw Self.invalid("more than one DPoP header") }
        guard compact.utf8.count <= Self.maximumProofByteCount else {
            throw Self.invalid("the DPoP proof is larger than \(Self.maximumProofByteCount) bytes")
        }
        let jws = try Self.segments(of: compact)
        let (key, thumbprint) = try checkedHeader(segment: jws.header)
        guard key.isValidSignature(jws.signature, for: jws.signingInput) else {
            throw Self.invalid("the DPoP proof's signature does not verify with its jwk", .signature)
        }
        let claims = try Self.object(jws.payload, named: "payload")
        guard case .string(let jwtID)? = claims["jti"], (1...Self.maximumJWTIDLength).contains(jwtID.utf8.count),
              jwtID.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        else { throw Self.invalid("the DPoP proof's jti must be 1 to \(Self.maximumJWTIDLength) visible ASCII characters") }
        guard case .string(let htm)? = claims["htm"], htm == method else {
            throw Self.invalid("the DPoP proof's htm is not the request's method", .target)
        }
        guard case .string(let htu)? = claims["htu"], let target = DPoPTargetURI.normalized(htu),
              target == endpoint || (alternativeEndpoint != nil && target == alternativeEndpoint.flatMap(DPoPTargetURI.normalized))
        else {
            throw Self.invalid("the DPoP proof's htu is not the \(endpointName)'s URL", .target)
        }
        let issuedAt = try checkedIssuedAt(claims["iat"], now: now)
        let nonce = try checkedNonce(claims["nonce"], required: nonceRequired, now: now)
        return DPoPProof(thumbprint: thumbprint, jwtID: jwtID, issuedAt: issuedAt, nonce: nonce)
    }

    /// `iat` in whole seconds, when it is a number within the window around `now` (milliseconds).
    /// A fraction is allowed (RFC 7519 §2's NumericDate).
    private func checkedIssuedAt(_ value: JSONValue?, now: Int64) throws -> Int64 {
        guard case .number(let text)? = value, let seconds = Double(text) else {
            throw Self.invalid("the DPoP proof's iat must be a number", .iat)
        }
        guard abs(seconds * 1000 - Double(now)) <= Double(issuedAtWindowSeconds) * 1000 else {
            throw Self.invalid("the DPoP proof's iat is more than \(issuedAtWindowSeconds) s from the server's time", .iat)
        }
        return Int64(seconds.rounded(.down))
    }

    /// The proof's nonce when nonces are on and it is valid; `use_dpop_nonce` when one is required
    /// and missing, or present and not valid (forged, or from before the previous bucket).
    private func checkedNonce(_ value: JSONValue?, required: Bool, now: Int64) throws -> String? {
        guard let nonces else { return nil }
        guard let value else {
            guard !required else { throw DPoPProofRefusal(.nonce, BatonError(.useDPoPNonce, hint: "a DPoP nonce is required")) }
            return nil
        }
        guard case .string(let nonce) = value, try nonces.isValid(nonce, at: now) else {
            throw DPoPProofRefusal(.nonce, BatonError(.useDPoPNonce, hint: "the DPoP nonce is invalid or expired"))
        }
        return nonce
    }

    /// The header's key and thumbprint: from the cache when the same header passed recently, else
    /// decoded, checked and remembered.
    private func checkedHeader(segment: ArraySlice<UInt8>) throws -> (key: VerificationKey, thumbprint: String) {
        if let entry = keyCache.entry(for: segment) { return (entry.key, entry.thumbprint) }
        let decoded: [UInt8]
        do {
            decoded = try Base64URL.decode(segment)
        } catch {
            throw Self.invalid("the DPoP proof has a segment that is not base64url", debug: "\(error)")
        }
        let checked = try Self.checkedHeader(Self.object(decoded, named: "header"))
        keyCache.insert(DPoPKeyCache.Entry(key: checked.key, thumbprint: checked.thumbprint), for: segment)
        return checked
    }

    /// The three parts of a compact JWS (RFC 7515 §7.1): the header as its base64url text, the
    /// payload and signature decoded strictly.
    private static func segments(
        of compact: String
    ) throws -> (header: ArraySlice<UInt8>, payload: [UInt8], signature: [UInt8], signingInput: ArraySlice<UInt8>) {
        let bytes = Array(compact.utf8)
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw invalid("the DPoP proof is not a JWS of three non-empty segments")
        }
        do {
            return (parts[0], try Base64URL.decode(parts[1]), try Base64URL.decode(parts[2]), bytes[..<parts[1].endIndex])
        } catch {
            throw invalid("the DPoP proof has a segment that is not base64url", debug: "\(error)")
        }
    }

    /// The members of the JSON object `bytes`, the proof's `part` ("header" or "payload").
    private static func object(_ bytes: [UInt8], named part: String) throws -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch let error as BatonError {
            throw invalid("the DPoP proof's \(part) is not valid JSON", debug: error.hint)
        }
        guard case .object(let members) = value else { throw invalid("the DPoP proof's \(part) is not a JSON object") }
        // The parser refused repeated names.
        return Dictionary(uniqueKeysWithValues: members.map { ($0.name, $0.value) })
    }

    /// The proof's public key and its RFC 7638 thumbprint, once the header's `typ`, `alg`, `crit`
    /// and `jwk` are acceptable.
    private static func checkedHeader(_ header: [String: JSONValue]) throws -> (key: VerificationKey, thumbprint: String) {
        guard header["typ"] == .string("dpop+jwt") else { throw invalid("the DPoP proof's typ must be dpop+jwt") }
        guard case .string(let name)? = header["alg"], let algorithm = SigningAlgorithm(rawValue: name) else {
            throw invalid("the DPoP proof's alg must be ES256, EdDSA or RS256")
        }
        guard header["crit"] == nil else { throw invalid("the DPoP proof has critical header parameters (crit)") }
        guard case .object(let members)? = header["jwk"] else { throw invalid("the DPoP proof's header has no jwk object") }
        guard !members.contains(where: { privateKeyMembers.contains($0.name) }) else {
            throw invalid("the DPoP proof's jwk must be a public key")
        }
        var strings: [String: String] = [:]
        for (name, value) in members {
            if case .string(let text) = value { strings[name] = text }
        }
        guard let keyType = strings["kty"] else { throw invalid("the DPoP proof's jwk has no kty") }
        let jwk = JWK(
            keyType: keyType, curve: strings["crv"], x: strings["x"], y: strings["y"], modulus: strings["n"],
            exponent: strings["e"], algorithm: strings["alg"], use: strings["use"])
        let key: VerificationKey
        let thumbprint: String
        do {
            key = try VerificationKey(jwk: jwk)
            thumbprint = try jwk.thumbprint()
        } catch {
            throw invalid("the DPoP proof's jwk is not a supported public key", debug: "\(error)")
        }
        guard key.algorithm == algorithm else { throw invalid("the DPoP proof's jwk is not a key for its alg") }
        return (key, thumbprint)
    }

    /// An `invalid_dpop_proof` refusal with `hint`, for `reason` (malformed unless told).
    private static func invalid(_ hint: String, _ reason: DPoPProofRefusal.Reason = .malformed, debug: String? = nil) -> DPoPProofRefusal {
        DPoPProofRefusal(reason, BatonError(.invalidDPoPProof, hint: hint, debug: debug))
    }
}
