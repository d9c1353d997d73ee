@testable import BatonAuth
import BatonCore
import BatonCrypto
import Foundation
import Testing

/// The verifier remembers a proof's checked header (key and thumbprint) and nothing else: a proof
/// under a remembered header still has its signature and every claim checked, a header that was
/// refused is never remembered, and the cache stays within its bound.
@Suite struct DPoPKeyCacheTests {
    private func verify(_ verifier: DPoPProofVerifier, _ proof: String) throws -> DPoPProof {
        try verifier.verify(headerValues: [proof], method: "POST", now: DPoPProofMaker.now, nonceRequired: false)
    }

    private func refused(_ verifier: DPoPProofVerifier, _ proof: String) -> DPoPProofRefusal.Reason? {
        do {
            _ = try verify(verifier, proof)
            return nil
        } catch let refusal as DPoPProofRefusal {
            return refusal.reason
        } catch {
            return nil
        }
    }

    @Test func aRememberedHeaderStillNeedsAValidSignatureAndClaims() throws {
        let cache = DPoPKeyCache()
        let verifier = try DPoPProofVerifier(tokenEndpoint: DPoPProofMaker.tokenEndpoint, keyCache: cache)
        let maker = try DPoPProofMaker(.es256)
        let first = try verify(verifier, try maker.proof())
        #expect(cache.count == 1)
        #expect(first.thumbprint == (try maker.thumbprint))
        // The same header, another jti: the remembered key, the same thumbprint.
        #expect(try verify(verifier, try maker.proof()).thumbprint == first.thumbprint)
        #expect(cache.count == 1)
        // The same header over a signature by another key, or claims for another endpoint or time.
        let thief = try DPoPProofMaker(.es256)
        #expect(refused(verifier, try maker.proof(signedBy: thief.key)) == .signature)
        #expect(refused(verifier, try maker.proof { _, claims in claims["htu"] = "https://elsewhere.example/oauth/token" }) == .target)
        #expect(refused(verifier, try maker.proof { _, claims in claims["iat"] = DPoPProofMaker.now / 1000 - 3_600 }) == .iat)
        // A tampered payload under the remembered header: the signature no longer covers it.
        let parts = try maker.proof().split(separator: ".")
        let otherPayload = try maker.proof { _, claims in claims["jti"] = "forged" }.split(separator: ".")[1]
        #expect(refused(verifier, [parts[0], otherPayload, parts[2]].joined(separator: ".")) == .signature)
    }

    @Test func aRefusedHeaderIsNotRemembered() throws {
        let cache = DPoPKeyCache()
        let verifier = try DPoPProofVerifier(tokenEndpoint: DPoPProofMaker.tokenEndpoint, keyCache: cache)
        let maker = try DPoPProofMaker(.es256)
        #expect(refused(verifier, try maker.proof { header, _ in header["typ"] = "JWT" }) == .malformed)
        #expect(refused(verifier, try maker.proof { header, _ in header["alg"] = "EdDSA" }) == .malformed)
        #expect(cache.count == 0)
    }

    @Test func theCacheStaysWithinTwoGenerations() throws {
        let cache = DPoPKeyCache(generationSize: 4)
        let verifier = try DPoPProofVerifier(tokenEndpoint: DPoPProofMaker.tokenEndpoint, keyCache: cache)
        let kept = try DPoPProofMaker(.es256)
        for _ in 0..<20 {
            _ = try verify(verifier, try DPoPProofMaker(.es256).proof())
            _ = try verify(verifier, try kept.proof())  // a key in use keeps moving forward
            #expect(cache.count <= 8)
        }
        #expect(try verify(verifier, try kept.proof()).thumbprint == (try kept.thumbprint))
    }
}
