import BatonCrypto
import BatonTesting
import Foundation

/// A DPoP key held by Python's joserfc (an implementation independent of ours), and the proofs it
/// makes: good ones and every kind of bad one, for requests to the test workers' token endpoint.
struct JoserfcDPoP {
    /// The `htu` of the test workers' token endpoint (their issuer is https://baton.test).
    static let tokenEndpoint = "https://baton.test/oauth/token"
    /// The `htu` of their revocation endpoint.
    static let revocationEndpoint = "https://baton.test/oauth/revoke"

    /// How a proof deviates from a good one.
    struct Variant {
        var members: [String: Any] = [:]

        static var good: Variant { Variant() }
        static func htm(_ method: String) -> Variant { Variant(members: ["htm": method]) }
        static func htu(_ url: String) -> Variant { Variant(members: ["htu": url]) }
        /// A proof for the revocation endpoint instead of the token endpoint.
        static var revocation: Variant { htu(JoserfcDPoP.revocationEndpoint) }
        /// `iat` this many seconds from now.
        static func iatOffset(_ seconds: Int) -> Variant { Variant(members: ["iat_offset": seconds]) }
        /// `iat` at these seconds since 1970 (a worker on a manual clock).
        static func iat(_ seconds: Int64) -> Variant { Variant(members: ["iat": seconds]) }
        static func jti(_ jti: String) -> Variant { Variant(members: ["jti": jti]) }
        static func nonce(_ nonce: String) -> Variant { Variant(members: ["nonce": nonce]) }
        static func typ(_ typ: String) -> Variant { Variant(members: ["typ": typ]) }
        /// `alg: none` and no signature.
        static var algNone: Variant { Variant(members: ["none": true]) }
        /// Signed with HS256 under a random symmetric key.
        static var hs256: Variant { Variant(members: ["hs256": true]) }
        /// The header's `jwk` is the private key.
        static var privateJWK: Variant { Variant(members: ["private_jwk": true]) }
        /// One bit of the signature flipped.
        static var badSignature: Variant { Variant(members: ["bad_signature": true]) }

        /// This variant with `other`'s deviations too.
        func and(_ other: Variant) -> Variant { Variant(members: members.merging(other.members) { $1 }) }
    }

    let algorithm: String
    /// The private JWK as JSON (the test's only; never sent).
    private let privateJWK: String
    /// The RFC 7638 thumbprint joserfc computes.
    let thumbprint: String

    private static let script = """
    import sys, json, uuid, time, base64, warnings
    warnings.simplefilter("ignore")
    from joserfc import jws
    from joserfc.jwk import ECKey, OKPKey, RSAKey, OctKey
    TYPES = {"ES256": ECKey, "EdDSA": OKPKey, "RS256": RSAKey}
    def b64(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    if sys.argv[1] == "generate":
        alg = sys.argv[2]
        key = {"ES256": lambda: ECKey.generate_key("P-256"), "EdDSA": lambda: OKPKey.generate_key("Ed25519"),
               "RS256": lambda: RSAKey.generate_key(2048)}[alg]()
        print(json.dumps({"jwk": json.dumps(key.as_dict(private=True)), "jkt": key.thumbprint()}))
        sys.exit(0)
    alg, key, htu, specs = sys.argv[2], TYPES[sys.argv[2]].import_key(json.loads(sys.argv[3])), sys.argv[4], json.loads(sys.argv[5])
    proofs = []
    for spec in specs:
        header = {"typ": spec.get("typ", "dpop+jwt"), "alg": alg, "jwk": key.as_dict(private=bool(spec.get("private_jwk")))}
        claims = {"jti": spec.get("jti") or str(uuid.uuid4()), "htm": spec.get("htm", "POST"), "htu": spec.get("htu", htu),
                  "iat": spec.get("iat", int(time.time()) + spec.get("iat_offset", 0))}
        if "nonce" in spec: claims["nonce"] = spec["nonce"]
        payload = json.dumps(claims)
        if spec.get("none"):
            header["alg"] = "none"
            proofs.append(b64(json.dumps(header).encode()) + "." + b64(payload.encode()) + ".")
            continue
        if spec.get("hs256"):
            header["alg"] = "HS256"
            proofs.append(jws.serialize_compact(header, payload, OctKey.generate_key(256), algorithms=["HS256"]))
            continue
        proof = jws.serialize_compact(header, payload, key, algorithms=[alg])
        if spec.get("bad_signature"):
            h, p, s = proof.split(".")
            signature = bytearray(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)))
            signature[len(signature) // 2] ^= 1
            proof = h + "." + p + "." + b64(bytes(signature))
        proofs.append(proof)
    print(json.dumps(proofs))
    """

    /// A new key of `algorithm` (ES256, EdDSA or RS256).
    static func generate(_ algorithm: String = "ES256") async throws -> JoserfcDPoP {
        let output = try await PythonScript.run(script, arguments: ["generate", algorithm])
        let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: String]
        return JoserfcDPoP(algorithm: algorithm, privateJWK: object["jwk"]!, thumbprint: object["jkt"]!)
    }

    /// One proof per variant for `POST` to the token endpoint, made now.
    func proofs(_ variants: [Variant]) async throws -> [String] {
        let specs = String(decoding: try JSONSerialization.data(withJSONObject: variants.map(\.members)), as: UTF8.self)
        let output = try await PythonScript.run(Self.script, arguments: ["proofs", algorithm, privateJWK, Self.tokenEndpoint, specs])
        return try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String]
    }

    /// One proof, made now.
    func proof(_ variant: Variant = .good) async throws -> String {
        try await proofs([variant])[0]
    }

    /// The claims of a JWT (an access token), without checking it.
    static func claims(of token: String) throws -> [String: Any] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return [:] }
        return try JSONSerialization.jsonObject(with: Data(try Base64URL.decode(Array(parts[1].utf8)))) as? [String: Any] ?? [:]
    }
}
