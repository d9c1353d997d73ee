import Testing
@testable import BatonCore

/// The revocation rule (RFC 7009 with DESIGN.md §5b's DPoP binding): a bound family is revoked by a
/// public client only with a proof for its key; administrators and confidential clients need none;
/// unbound families are revoked as before.
@Suite struct RevocationResultTests {
    private let now: Int64 = 1_800_000_000_000
    private let key = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"

    private func family(bound: Bool, client: String = "app") -> FamilyRecord {
        FamilyRecord(generation: 3, rotatedAt: now, clientID: client, createdAt: now - 1_000, expiresAt: now + 86_400_000,
                     dpopThumbprint: bound ? key : nil)
    }

    @Test func aBoundFamilyNeedsAProofForItsKeyFromAPublicClient() {
        let bound = family(bound: true)
        #expect(RevocationResult.decide(family: bound, clientID: "app", proof: .presented(thumbprint: nil)) == .dpopRequired)
        #expect(RevocationResult.decide(family: bound, clientID: "app", proof: .presented(thumbprint: "another-key")) == .dpopKeyMismatch)
        #expect(RevocationResult.decide(family: bound, clientID: "app", proof: .presented(thumbprint: key)) == .revoked)
    }

    @Test func administratorsAndConfidentialClientsNeedNoProof() {
        #expect(RevocationResult.decide(family: family(bound: true), clientID: nil, proof: .notRequired) == .revoked)
        #expect(RevocationResult.decide(family: family(bound: true), clientID: "app", proof: .notRequired) == .revoked)
    }

    @Test func unboundFamiliesAreRevokedWithOrWithoutAProof() {
        for proof: RevocationProof in [.notRequired, .presented(thumbprint: nil), .presented(thumbprint: key)] {
            #expect(RevocationResult.decide(family: family(bound: false), clientID: "app", proof: proof) == .revoked)
        }
    }

    @Test func unknownAndOtherClientsFamiliesComeFirst() {
        for proof: RevocationProof in [.notRequired, .presented(thumbprint: nil), .presented(thumbprint: key)] {
            #expect(RevocationResult.decide(family: nil, clientID: "app", proof: proof) == .unknown)
            #expect(RevocationResult.decide(family: family(bound: true), clientID: "other", proof: proof) == .wrongClient)
        }
    }
}
