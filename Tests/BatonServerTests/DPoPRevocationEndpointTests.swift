import BatonLocalServers
import BatonTesting
import Foundation
import Testing

/// RFC 7009 revocation of DPoP-bound sessions over HTTP (DESIGN.md §5b), against a real worker,
/// with proofs made by Python's joserfc: a thief holding a stolen bound token and the public
/// client's `client_id` can neither refresh nor revoke, the key's holder refreshes on and revokes
/// with a proof whose `htu` is the revocation endpoint, and a confidential client's secret suffices.
@Suite struct DPoPRevocationEndpointTests {
    /// Creates a session for `subject` on `client` bound to `jkt`; returns the response's members.
    private func boundSession(_ worker: TestWorker, _ clients: StandardClients, jkt: String, client: String = "app",
                              subject: String = "alice") async throws -> [String: Any] {
        let response = try await worker.postJSON("/v1/sessions", #"{"sub":"\#(subject)","client_id":"\#(client)","dpop_jkt":"\#(jkt)"}"#,
                                                 headers: [TestWorker.basic("login", clients.loginSecret)])
        #expect(response.status == 201, "\(response.text)")
        return response.json
    }

    private func refresh(_ worker: TestWorker, _ token: String, dpop: [String]) async throws -> LoopbackHTTPResponse {
        try await worker.post("/oauth/token", form: ["grant_type": "refresh_token", "refresh_token": token, "client_id": "app"],
                              headers: dpop.map { ("DPoP", $0) })
    }

    /// Revokes `token` as the public `app`, with these `DPoP` header values.
    private func revoke(_ worker: TestWorker, _ token: String, dpop: [String]) async throws -> LoopbackHTTPResponse {
        try await worker.post("/oauth/revoke", form: ["token": token, "client_id": "app"], headers: dpop.map { ("DPoP", $0) })
    }

    @Test func aThiefWithAStolenBoundTokenCanNeitherRefreshNorRevokeAndTheKeysHolderGoesOn() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let key = try await JoserfcDPoP.generate("ES256")
            let thief = try await JoserfcDPoP.generate("EdDSA")
            let session = try await boundSession(worker, clients, jkt: key.thumbprint)
            let first = try await refresh(worker, session["refresh_token"] as! String, dpop: [try await key.proof()])
            #expect(first.status == 200, "\(first.text)")
            let stolen = first.json["refresh_token"] as! String
            let stolenAccess = first.json["access_token"] as! String

            // The thief refreshes: refused.
            for dpop in [[], [try await thief.proof()]] {
                let response = try await refresh(worker, stolen, dpop: dpop)
                #expect(response.status == 400)
                #expect(response.error == "invalid_dpop_proof")
            }
            // The thief revokes, through the refresh token or the bound access token: refused.
            let required = "the token is bound to a DPoP key: revoking it needs a DPoP proof for that key"
            let mismatch = "the DPoP proof's key is not the one the token is bound to"
            for token in [stolen, stolenAccess] {
                for (dpop, hint) in [([], required), ([try await thief.proof(.revocation)], mismatch)] {
                    let response = try await revoke(worker, token, dpop: dpop)
                    #expect(response.status == 400, "\(response.text)")
                    #expect(response.error == "invalid_dpop_proof")
                    #expect(response.json["error_description"] as? String == hint)
                    #expect(response.headers["cache-control"] == "no-store")
                }
            }
            // A proof by the key made for the token endpoint is no revocation proof.
            let misdirected = try await revoke(worker, stolen, dpop: [try await key.proof()])
            #expect(misdirected.status == 400)
            #expect(misdirected.error == "invalid_dpop_proof")
            #expect(misdirected.json["error_description"] as? String == "the DPoP proof's htu is not the revocation endpoint's URL")

            // Nothing was revoked: the key's holder refreshes on.
            #expect(!worker.logs.all.contains { $0.contains("reuse_detected") })
            let next = try await refresh(worker, stolen, dpop: [try await key.proof()])
            #expect(next.status == 200, "\(next.text)")
            #expect(next.json["token_type"] as? String == "DPoP")
        }
    }

    @Test func theKeysHolderRevokesWithARevocationProofAndAConfidentialClientWithItsSecret() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let key = try await JoserfcDPoP.generate("RS256")
            let token = try await boundSession(worker, clients, jkt: key.thumbprint)["refresh_token"] as! String
            let revoked = try await revoke(worker, token, dpop: [try await key.proof(.revocation)])
            #expect(revoked.status == 200, "\(revoked.text)")
            #expect(revoked.text == "{}")
            let after = try await refresh(worker, token, dpop: [try await key.proof()])
            #expect(after.status == 400)
            #expect(after.error == "invalid_grant")
            // Through the access token's sid.
            let other = try await boundSession(worker, clients, jkt: key.thumbprint, subject: "bob")
            #expect(try await revoke(worker, other["access_token"] as! String, dpop: [try await key.proof(.revocation)]).status == 200)
            #expect(try await refresh(worker, other["refresh_token"] as! String, dpop: [try await key.proof()]).error == "invalid_grant")

            // A confidential client authenticates with its secret and needs no proof.
            let secret = try #require(try await worker.createClient("web", json: #""grant_types":["refresh_token"]"#))
            let web = try await boundSession(worker, clients, jkt: key.thumbprint, client: "web", subject: "carol")
            let byWeb = try await worker.post("/oauth/revoke", form: ["token": web["refresh_token"] as! String],
                                              headers: [TestWorker.basic("web", secret)])
            #expect(byWeb.status == 200, "\(byWeb.text)")
            let gone = try await worker.post("/oauth/token", form: ["grant_type": "refresh_token", "refresh_token": web["refresh_token"] as! String],
                                             headers: [TestWorker.basic("web", secret), ("DPoP", try await key.proof())])
            #expect(gone.error == "invalid_grant", "\(gone.text)")
        }
    }
}
