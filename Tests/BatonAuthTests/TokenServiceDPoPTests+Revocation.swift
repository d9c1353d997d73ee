@testable import BatonAuth
import BatonCore
import Foundation
import Testing

/// RFC 7009 revocation of DPoP-bound families (DESIGN.md §5b): a thief holding a bound refresh or
/// access token, and a public client's `client_id`, cannot log the user out without the family's
/// key; the key's holder can; a confidential client's secret suffices; unbound families are
/// revoked as before. On every kind of store.
extension TokenServiceDPoPTests {
    /// A proof by `maker` for `POST` to the revocation endpoint, made at the harness clock's time.
    private func revocationProof(_ maker: DPoPProofMaker, _ auth: AuthHarness, nonce: String? = nil) throws -> String {
        try proof(maker, auth, htu: DPoPProofMaker.revocationEndpoint, nonce: nonce)
    }

    @Test(arguments: StoreKind.allCases)
    func aStolenBoundTokenRevokesNothingWithoutItsKeyAndTheKeysHolderRefreshesOn(kind: StoreKind) async throws {
        try await AuthHarness.with(kind, configuration: Self.configuration) { auth in
            let key = try DPoPProofMaker(.es256)
            let thief = try DPoPProofMaker(.edDSA)
            let created = try await auth.createSession(jkt: try key.thumbprint)
            let stolen = try #require(created.refreshToken)
            let session = try auth.session(of: stolen)
            let required = "the token is bound to a DPoP key: revoking it needs a DPoP proof for that key"
            let mismatch = "the DPoP proof's key is not the one the token is bound to"
            // The refresh token, and the bound access token whose sid names the family.
            for token in [stolen, created.accessToken] {
                let attempts: [(dpop: [String], hint: String)] = [
                    ([], required),
                    ([try revocationProof(thief, auth)], mismatch),
                ]
                for attempt in attempts {
                    let error = try await refusal { try await auth.revoke(token, dpop: attempt.dpop) }
                    #expect(error?.code == .invalidDPoPProof)
                    #expect(error?.hint == attempt.hint)
                }
            }
            // The key's own proof, but made for the token endpoint: refused before Redis.
            let calls = try await auth.refreshesInStore()
            let tokenEndpointProof = try proof(key, auth)
            let misdirected = try await refusal { try await auth.revoke(stolen, dpop: [tokenEndpointProof]) }
            #expect(misdirected?.code == .invalidDPoPProof)
            #expect(misdirected?.hint == "the DPoP proof's htu is not the revocation endpoint's URL")
            #expect(try await auth.refreshesInStore() == calls)
            #expect(auth.logs.all.contains { $0.contains("revocation of a DPoP-bound session refused") })

            // Nothing changed; the key's holder refreshes on.
            #expect(try await auth.families.state(of: session)?.generation == 0)
            let next = try await auth.refresh(stolen, dpop: [try proof(key, auth)])
            #expect(try auth.codec.verify(try #require(next.refreshToken)).generation == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aProofForTheFamilysKeyRevokesItThroughTheRefreshOrTheAccessToken(kind: StoreKind) async throws {
        try await AuthHarness.with(kind, configuration: Self.configuration) { auth in
            let key = try DPoPProofMaker(.rs256)
            let byRefresh = try await auth.createSession(jkt: try key.thumbprint)
            let refreshToken = try #require(byRefresh.refreshToken)
            try await auth.revoke(refreshToken, dpop: [try revocationProof(key, auth)])
            #expect(try await auth.families.state(of: try auth.session(of: refreshToken)) == nil)
            #expect(try await auth.refusal(refreshToken, dpop: [try proof(key, auth)]) == .invalidGrant)
            // Revoking it again, even without a proof, answers as for any unknown token (RFC 7009 §2.2).
            try await auth.revoke(refreshToken)

            let byAccess = try await auth.createSession(jkt: try key.thumbprint)
            try await auth.revoke(byAccess.accessToken, dpop: [try revocationProof(key, auth)])
            #expect(try await auth.families.state(of: try auth.session(of: try #require(byAccess.refreshToken))) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aConfidentialClientRevokesItsBoundFamilyWithItsSecretAlone(kind: StoreKind) async throws {
        try await AuthHarness.with(kind, configuration: Self.configuration) { auth in
            let key = try DPoPProofMaker(.es256)
            let token = try #require(try await auth.createSession(client: "web", jkt: try key.thumbprint).refreshToken)
            // Another client still cannot, proof or not.
            #expect(try await refusal { try await auth.revoke(token, dpop: [try revocationProof(key, auth)]) }?.code == .invalidGrant)
            try await auth.revoke(token, as: auth.web)
            #expect(try await auth.families.state(of: try auth.session(of: token)) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func unboundFamiliesAreRevokedWithOrWithoutAProof(kind: StoreKind) async throws {
        try await AuthHarness.with(kind, configuration: Self.configuration) { auth in
            let plain = try #require(try await auth.createSession().refreshToken)
            try await auth.revoke(plain)
            #expect(try await auth.families.state(of: try auth.session(of: plain)) == nil)

            let key = try DPoPProofMaker(.es256)
            let withProof = try #require(try await auth.createSession("bob").refreshToken)
            try await auth.revoke(withProof, dpop: [try revocationProof(key, auth)])
            #expect(try await auth.families.state(of: try auth.session(of: withProof)) == nil)
            // Tokens Baton never issued are answered as before, whatever the proof.
            try await auth.revoke(Array("btr1.forged".utf8), dpop: [try revocationProof(key, auth)])
            try await auth.revoke(Array("not-a-token".utf8))
        }
    }

    @Test func revocationProofsAreAskedForTheCurrentNonceWhenNoncesAreOn() async throws {
        var configuration = Self.configuration
        configuration.dpopNoncesRequired = true
        try await AuthHarness.with(.memory, configuration: configuration) { auth in
            let key = try DPoPProofMaker(.es256)
            let token = try #require(try await auth.createSession(jkt: try key.thumbprint).refreshToken)
            let current = try auth.nonces.current(at: auth.clock.milliseconds())
            let error = try await refusal { try await auth.revoke(token, dpop: [try revocationProof(key, auth)]) }
            #expect(error?.code == .useDPoPNonce)
            #expect(error?.dpopNonce == current)
            #expect(try await auth.families.state(of: try auth.session(of: token)) != nil)
            try await auth.revoke(token, dpop: [try revocationProof(key, auth, nonce: current)])
            #expect(try await auth.families.state(of: try auth.session(of: token)) == nil)
        }
    }
}
