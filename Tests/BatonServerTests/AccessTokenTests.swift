import BatonLocalServers
import BatonTesting
import Foundation
import Testing

/// RFC 9068 access tokens, verified by an independent JOSE implementation (Python's joserfc)
/// against the JWKS the worker serves; RFC 7662 introspection; RFC 8414 metadata.
@Suite struct AccessTokenTests {
    /// Verifies `tokens` against `jwks` with joserfc; prints one JSON object of header + claims per token.
    private func verifyIndependently(_ tokens: [String], jwks: String) async throws -> [[String: Any]] {
        let output = try await PythonScript.run("""
            import json, sys, warnings
            warnings.simplefilter("ignore")
            from joserfc import jwt
            from joserfc.jwk import KeySet
            keys = KeySet.import_key_set(json.loads(sys.argv[1]))
            for token in sys.argv[2:]:
                decoded = jwt.decode(token, keys, algorithms=["ES256", "EdDSA", "RS256"])
                print(json.dumps({"header": decoded.header, "claims": decoded.claims}))
            """, arguments: [jwks] + tokens)
        return output.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func accessTokensVerifyAgainstTheServedJWKS() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let body = #"{"sub":"alice","client_id":"app","scope":"read","auth_time":1800000000,"claims":{"tenant":"acme","roles":["a","b"]}}"#
            let session = try await worker.postJSON("/v1/sessions", body, headers: [TestWorker.basic("login", clients.loginSecret)]).json
            let refreshed = try await worker.refresh(session["refresh_token"] as! String).json
            let jwksResponse = try await worker.get("/.well-known/jwks.json")
            #expect(jwksResponse.headers["cache-control"]?.contains("max-age") == true)
            let verified = try await verifyIndependently([session["access_token"] as! String, refreshed["access_token"] as! String],
                                                   jwks: jwksResponse.text)
            #expect(verified.count == 2)
            for token in verified {
                let header = token["header"] as! [String: Any]
                let claims = token["claims"] as! [String: Any]
                #expect(header["typ"] as? String == "at+jwt")
                #expect(header["alg"] as? String == "ES256")
                #expect(claims["iss"] as? String == "https://baton.test")
                #expect(claims["aud"] as? String == "https://baton.test")
                #expect(claims["sub"] as? String == "alice")
                #expect(claims["client_id"] as? String == "app")
                #expect(claims["scope"] as? String == "read")
                #expect(claims["sid"] as? String == session["session_id"] as? String)
                #expect(claims["auth_time"] as? Int == 1_800_000_000)
                #expect(claims["tenant"] as? String == "acme")
                #expect(claims["roles"] as? [String] == ["a", "b"])
                #expect((claims["exp"] as! Int) - (claims["iat"] as! Int) == 300)
                #expect((claims["jti"] as? String)?.count == 22)
            }
            #expect(session["expires_in"] as? Int == 300 && session["token_type"] as? String == "Bearer")
        }
    }

    @Test func clientCredentialsIssueAnAccessTokenOnly() async throws {
        try await withWorker { worker in
            let secret = try await worker.createClient("service", json: #""grant_types":["client_credentials"],"allowed_scopes":["jobs"],"audience":"https://api.test""#)!
            let response = try await worker.post("/oauth/token", form: ["grant_type": "client_credentials", "client_id": "service",
                                                                        "client_secret": secret])
            #expect(response.status == 200 && response.headers["cache-control"] == "no-store")
            #expect(response.json["refresh_token"] == nil)
            let jwks = try await worker.get("/.well-known/jwks.json").text
            let claims = try await verifyIndependently([response.json["access_token"] as! String], jwks: jwks).first?["claims"] as? [String: Any]
            #expect(claims?["sub"] as? String == "service")
            #expect(claims?["aud"] as? String == "https://api.test")
            #expect(claims?["scope"] as? String == "jobs")
            #expect(claims?["sid"] == nil)
        }
    }

    @Test func introspectionReflectsTheSessionsState() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let resourceSecret = try await worker.createClient("resource-server")!
            let resource = TestWorker.basic("resource-server", resourceSecret)
            let session = try await worker.createSession(clients)
            let access = session["access_token"] as! String
            let refresh = session["refresh_token"] as! String

            let active = try await worker.post("/oauth/introspect", form: ["token": access], headers: [resource])
            #expect(active.status == 200 && active.json["active"] as? Bool == true)
            #expect(active.json["sub"] as? String == "alice" && active.json["client_id"] as? String == "app")
            let refreshView = try await worker.post("/oauth/introspect", form: ["token": refresh, "client_id": "app"])
            #expect(refreshView.json["active"] as? Bool == true && refreshView.json["token_type"] as? String == "refresh_token")
            let othersView = try await worker.post("/oauth/introspect", form: ["token": refresh], headers: [resource])
            #expect(othersView.json["active"] as? Bool == false)
            for garbage in ["", "x", "a.b.c", String(access.dropLast(3)) + "AAA"] {
                let response = try await worker.post("/oauth/introspect", form: ["token": garbage.isEmpty ? "e30" : garbage], headers: [resource])
                #expect(response.status == 200 && response.json["active"] as? Bool == false)
            }

            #expect(try await worker.post("/oauth/revoke", form: ["token": refresh, "client_id": "app"]).status == 200)
            let revoked = try await worker.post("/oauth/introspect", form: ["token": access], headers: [resource])
            #expect(revoked.json["active"] as? Bool == false)
        }
    }

    @Test func revokingAnAccessTokenEndsItsSession() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let session = try await worker.createSession(clients)
            let response = try await worker.post("/oauth/revoke", form: ["token": session["access_token"] as! String,
                                                                         "token_type_hint": "access_token", "client_id": "app"])
            #expect(response.status == 200)
            #expect(try await worker.refresh(session["refresh_token"] as! String).error == "invalid_grant")
        }
    }

    @Test func metadataDescribesTheEndpoints() async throws {
        try await withWorker { worker in
            let metadata = try await worker.get("/.well-known/oauth-authorization-server").json
            #expect(metadata["issuer"] as? String == "https://baton.test")
            #expect(metadata["token_endpoint"] as? String == "https://baton.test/oauth/token")
            #expect(metadata["jwks_uri"] as? String == "https://baton.test/.well-known/jwks.json")
            #expect(metadata["revocation_endpoint"] as? String == "https://baton.test/oauth/revoke")
            #expect(metadata["introspection_endpoint"] as? String == "https://baton.test/oauth/introspect")
            #expect(metadata["grant_types_supported"] as? [String] == ["refresh_token", "client_credentials"])
        }
    }
}
