import BatonAuth
@testable import BatonLoad
import BatonCrypto
import Foundation
import Testing

/// baton-load's DPoP proofs, checked by the server's own `DPoPProofVerifier`: every algorithm, both
/// endpoints, nonces, a `jti` per proof, and claims that are exactly what RFC 9449 §4.2 asks for.
@Suite struct DPoPProofWriterTests {
    private static let endpoints = DPoPEndpoints(token: "https://baton.test/oauth/token", revocation: "https://baton.test/oauth/revoke")
    /// Seconds since 1970 at which the proofs are made and checked.
    private static let now: Int64 = 1_800_000_000

    private func verify(_ proof: [UInt8], endpoint: String = endpoints.token, nonces: DPoPNonces? = nil,
                        nonceRequired: Bool = false) throws -> DPoPProof {
        let verifier = try DPoPProofVerifier(endpoint: endpoint, named: "endpoint", nonces: nonces)
        return try verifier.verify(headerValues: [String(decoding: proof, as: UTF8.self)], method: "POST", now: Self.now * 1000,
                                   nonceRequired: nonceRequired)
    }

    /// The decoded JSON of the proof's segment `index` (0: header, 1: claims).
    private func segment(_ index: Int, of proof: [UInt8]) throws -> [String: Any] {
        let part = proof.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)[index]
        return try #require(try JSONSerialization.jsonObject(with: Data(try Base64URL.decode(part))) as? [String: Any])
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func proofsPassTheServersVerifier(algorithm: SigningAlgorithm) throws {
        let key = try DPoPKey.generate(algorithm)
        var writer = try DPoPProofWriter(endpoints: Self.endpoints)
        writer.write(signedBy: key, for: .token, nonce: [], issuedAt: Self.now)
        let proof = try verify(writer.proof)
        #expect(proof.thumbprint == String(decoding: key.thumbprint, as: UTF8.self))
        #expect(proof.issuedAt == Self.now && proof.nonce == nil)
        #expect(try key.signingKey.jwk.thumbprint() == proof.thumbprint, "the session's dpop_jkt is the key's RFC 7638 thumbprint")
    }

    @Test func theHeaderAndClaimsAreExactlyAProofs() throws {
        let key = try DPoPKey.generate()
        var writer = try DPoPProofWriter(endpoints: Self.endpoints)
        writer.write(signedBy: key, for: .token, nonce: [], issuedAt: Self.now)
        let header = try segment(0, of: writer.proof)
        #expect(Set(header.keys) == ["typ", "alg", "jwk"])
        #expect(header["typ"] as? String == "dpop+jwt" && header["alg"] as? String == "ES256")
        #expect(Set((header["jwk"] as? [String: String] ?? [:]).keys) == ["kty", "crv", "x", "y"], "the bare public key")
        let claims = try segment(1, of: writer.proof)
        #expect(Set(claims.keys) == ["htm", "htu", "iat", "jti"])
        #expect(claims["htm"] as? String == "POST" && claims["htu"] as? String == Self.endpoints.token)
        #expect((claims["iat"] as? NSNumber)?.int64Value == Self.now)
    }

    @Test func everyProofHasAJTIOfItsOwn() throws {
        let key = try DPoPKey.generate()
        var first = try DPoPProofWriter(endpoints: Self.endpoints)
        var second = try DPoPProofWriter(endpoints: Self.endpoints)
        var jtis: Set<String> = []
        for _ in 0..<50 {
            first.write(signedBy: key, for: .token, nonce: [], issuedAt: Self.now)
            jtis.insert(try verify(first.proof).jwtID)
            second.write(signedBy: key, for: .token, nonce: [], issuedAt: Self.now)
            jtis.insert(try verify(second.proof).jwtID)
        }
        #expect(jtis.count == 100, "another loop's writer has another jti prefix")
    }

    @Test func revocationProofsNameTheRevocationEndpoint() throws {
        let key = try DPoPKey.generate()
        var writer = try DPoPProofWriter(endpoints: Self.endpoints)
        writer.write(signedBy: key, for: .revocation, nonce: [], issuedAt: Self.now)
        #expect(try verify(writer.proof, endpoint: Self.endpoints.revocation).thumbprint == String(decoding: key.thumbprint, as: UTF8.self))
        let refusal = #expect(throws: DPoPProofRefusal.self) { try verify(writer.proof) }
        #expect(refusal?.reason == .target)
    }

    @Test func aNonceGivenIsCarried() throws {
        let nonces = try DPoPNonces(keys: DerivedKeys(MasterSecret(bytes: Array(repeating: 9, count: 32))))
        let nonce = try nonces.current(at: Self.now * 1000)
        let key = try DPoPKey.generate()
        var writer = try DPoPProofWriter(endpoints: Self.endpoints)
        writer.write(signedBy: key, for: .token, nonce: [], issuedAt: Self.now)
        let refusal = #expect(throws: DPoPProofRefusal.self) { try verify(writer.proof, nonces: nonces, nonceRequired: true) }
        #expect(refusal?.reason == .nonce)
        writer.write(signedBy: key, for: .token, nonce: Array(nonce.utf8), issuedAt: Self.now)
        #expect(try verify(writer.proof, nonces: nonces, nonceRequired: true).nonce == nonce)
    }

    /// The claims' fixed start is padded to whole 3-byte groups whatever the URL's length.
    @Test(arguments: ["https://a.test/oauth/token", "https://ab.test/oauth/token", "https://abc.test/oauth/token"])
    func anyEndpointLengthMakesValidClaims(endpoint: String) throws {
        let key = try DPoPKey.generate()
        var writer = try DPoPProofWriter(endpoints: DPoPEndpoints(token: endpoint, revocation: endpoint))
        writer.write(signedBy: key, for: .token, nonce: Array("n0nce".utf8), issuedAt: Self.now)
        #expect(try segment(1, of: writer.proof)["htu"] as? String == endpoint)
        #expect(try verify(writer.proof, endpoint: endpoint).jwtID.isEmpty == false)
    }
}
