import BatonCore
import BatonCrypto

/// Writes DPoP proofs (RFC 9449 §4.2) at the byte level for one event loop's users, so that a
/// proof costs its signature and little else. What never changes is encoded once: the key's
/// header segment (`DPoPKey`) and, per endpoint, the start of the claims, `{"htm":"POST","htu":"…"`
/// padded with spaces to a whole number of 3-byte groups so that its base64url stands alone. Each
/// proof then encodes only `,"iat":…,"jti":"…"[,"nonce":"…"]}` after it and signs.
///
/// A `jti` is this writer's random prefix and a counter, so every proof of a run is distinct, the
/// concurrent refreshes of a storm's round included.
///
/// ```swift
/// var writer = try DPoPProofWriter(endpoints: endpoints)
/// writer.write(signedBy: user.dpopKey, for: .token, nonce: user.dpopNonce)
/// templates.writeRefresh(token: user.token, proof: writer.proof, into: &buffer)
/// ```
struct DPoPProofWriter {
    /// The endpoint a proof is for: its `htu`.
    enum Endpoint {
        /// `POST /oauth/token` (refreshes).
        case token
        /// `POST /oauth/revoke` (logouts).
        case revocation
    }

    /// The last proof written, a compact JWS in ASCII; valid until the next `write`.
    private(set) var proof: [UInt8] = []
    private let tokenClaims: [UInt8]
    private let revocationClaims: [UInt8]
    private let jwtIDPrefix: [UInt8]
    private var counter: UInt64 = 0

    /// A writer for proofs to `endpoints`, with a random `jti` prefix of its own.
    init(endpoints: DPoPEndpoints) throws {
        tokenClaims = Self.encodedClaimsStart(htu: endpoints.token)
        revocationClaims = Self.encodedClaimsStart(htu: endpoints.revocation)
        jwtIDPrefix = Base64URL.encode(try Random.bytes(count: 12)) + [UInt8(ascii: "-")]
        proof.reserveCapacity(512)
    }

    /// Writes into `proof` a proof signed by `key` for `POST` to `endpoint`, issued at `issuedAt`
    /// (seconds since 1970), carrying `nonce` unless it is empty.
    mutating func write(signedBy key: DPoPKey, for endpoint: Endpoint, nonce: [UInt8], issuedAt: Int64 = SystemClock().seconds()) {
        proof.removeAll(keepingCapacity: true)
        proof.append(contentsOf: key.headerSegment)
        proof.append(contentsOf: endpoint == .token ? tokenClaims : revocationClaims)
        let rest = proof.count
        proof.append(contentsOf: Self.issuedAtMember)
        DecimalDigits.append(UInt64(max(0, issuedAt)), to: &proof)
        proof.append(contentsOf: Self.jwtIDMember)
        proof.append(contentsOf: jwtIDPrefix)
        DecimalDigits.append(counter, to: &proof)
        counter &+= 1
        proof.append(UInt8(ascii: "\""))
        if !nonce.isEmpty {
            proof.append(contentsOf: Self.nonceMember)
            JSONWriter.appendString(nonce, to: &proof)
        }
        proof.append(UInt8(ascii: "}"))
        Base64URL.encodeInPlace(&proof, from: rest)
        do {
            try JWS.appendSignature(to: &proof, with: key.signingKey)
        } catch {
            preconditionFailure("signing a DPoP proof with a generated key failed: \(error)")
        }
    }

    private static let issuedAtMember = Array(#","iat":"#.utf8)
    private static let jwtIDMember = Array(#","jti":""#.utf8)
    private static let nonceMember = Array(#","nonce":"#.utf8)

    /// base64url of `{"htm":"POST","htu":"<htu>"` and the spaces that make its length a multiple of 3.
    private static func encodedClaimsStart(htu: String) -> [UInt8] {
        var json = Array(#"{"htm":"POST","htu":"#.utf8)
        JSONWriter.appendString(htu.utf8, to: &json)
        while json.count % 3 != 0 { json.append(UInt8(ascii: " ")) }
        return Base64URL.encode(json)
    }
}

extension DPoPProofWriter? {
    /// A fresh proof signed by `key` for `endpoint`, carrying `nonce` unless it is empty; nil
    /// (send none) when there is no writer (no `--dpop`) or no key.
    mutating func proof(signedBy key: DPoPKey?, for endpoint: DPoPProofWriter.Endpoint, nonce: [UInt8]) -> [UInt8]? {
        guard self != nil, let key else { return nil }
        self!.write(signedBy: key, for: endpoint, nonce: nonce)
        return self!.proof
    }
}
