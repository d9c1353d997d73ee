import BatonCore
import BatonStore
import BatonLocalServers
import Foundation
import Testing

/// Every bad input gets a clear 4xx in RFC 6749 §5.2 shape, changes nothing, and the worker
/// keeps serving.
@Suite struct BadInputTests {
    private func expectError(_ response: LoopbackHTTPResponse, _ status: Int, _ error: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.error == error, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.headers["content-type"] == "application/json", sourceLocation: sourceLocation)
        #expect(response.json["error_description"] is String, sourceLocation: sourceLocation)
    }

    @Test func tokenEndpointRefusesMalformedRequests() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let session = try await worker.createSession(clients)
            let token = session["refresh_token"] as! String
            let generation = try await worker.redis.send("DBSIZE")

            expectError(try await worker.post("/oauth/token", form: ["client_id": "app"]), 400, "invalid_request")
            expectError(try await worker.post("/oauth/token", form: ["grant_type": "password", "client_id": "app"]), 400, "unsupported_grant_type")
            expectError(try await worker.post("/oauth/token", form: ["grant_type": "refresh_token", "client_id": "app"]), 400, "invalid_request")
            expectError(try await worker.post("/oauth/token", form: ["grant_type": "refresh_token", "refresh_token": token]), 401, "invalid_client")
            expectError(try await worker.post("/oauth/token", form: ["grant_type": "refresh_token", "refresh_token": token, "client_id": "nobody"]), 401, "invalid_client")
            expectError(try await worker.post("/oauth/token", form: ["grant_type": "refresh_token", "refresh_token": token, "client_id": "bad id!"]), 401, "invalid_client")
            expectError(try await worker.post("/oauth/token", form: ["grant_type": "client_credentials", "client_id": "app"]), 400, "unauthorized_client")
            expectError(try await worker.refresh(token, extra: ["scope": "read admin"]), 400, "invalid_scope")

            // Repeated parameters, broken percent-encoding, bytes that are not UTF-8, too many parameters.
            let crowded = "grant_type=refresh_token&client_id=app&refresh_token=\(token)&"
                + (1...64).map { "p\($0)=x" }.joined(separator: "&")
            for body in ["grant_type=refresh_token&grant_type=refresh_token&client_id=app",
                         "grant_type=refresh_token&client_id=app&refresh_token=%zz",
                         "grant_type=refresh_token&client_id=app&refresh_token=%ff%fe", crowded] {
                let response = try await LoopbackHTTPClient.send("POST", port: worker.port, path: "/oauth/token",
                                                             headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                                             body: Array(body.utf8))
                expectError(response, 400, "invalid_request")
            }
            // Basic credentials that are not base64 of `id:secret`.
            for credentials in ["Basic !!!!", "Basic bm8tY29sb24=", "basic bG9naW46eA="] {
                let response = try await LoopbackHTTPClient.send("POST", port: worker.port, path: "/oauth/token",
                                                             headers: [("Content-Type", "application/x-www-form-urlencoded"),
                                                                       ("Authorization", credentials)],
                                                             body: Array("grant_type=refresh_token&refresh_token=\(token)".utf8))
                expectError(response, 401, "invalid_client")
            }
            #expect(try await worker.redis.send("DBSIZE") == generation)
            #expect(try await worker.refresh(token).status == 200)
        }
    }

    @Test func aScopeBeyondTheSessionsCostsTheClientNothing() async throws {
        try await withWorker { worker in
            // With no grace window, a rotation the client never saw would make its token a replay.
            let clients = try await worker.standardClients(appPolicy: #""grace_period":0"#)
            let session = try await worker.createSession(clients, scope: "read")
            let token = session["refresh_token"] as! String
            expectError(try await worker.refresh(token, extra: ["scope": "read write"]), 400, "invalid_scope")
            let key = KeySchema.family(SessionID(session["session_id"] as! String)!)
            #expect(try await worker.redis.send("HGET", key, "g") == .bulkString(Array("0".utf8)))
            #expect(try await worker.refresh(token).status == 200)
        }
    }

    @Test func tokensOfEveryWrongShapeAreInvalidGrant() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let token = try await worker.createSession(clients)["refresh_token"] as! String
            let parts = token.split(separator: ".").map(String.init)
            func replacing(_ index: Int, with value: String) -> String {
                var copy = parts
                copy[index] = value
                return copy.joined(separator: ".")
            }
            var shapes: [String] = ["x", "btr1", "btr1.", token + ".", token + "x", String(token.dropLast())]
            shapes.append(parts.prefix(5).joined(separator: "."))
            shapes.append(replacing(0, with: "btr9"))
            shapes.append(replacing(1, with: "zzzzzz"))
            shapes.append(replacing(2, with: "ffffffff"))
            shapes.append(replacing(3, with: "AAAAAAAAAAAAAAAAAAAAAA"))
            shapes.append(replacing(4, with: "99999999999999999999"))
            shapes.append(replacing(4, with: "-1"))
            shapes.append(String(repeating: "A", count: 5000))
            shapes.append("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
            shapes.append(token.uppercased())
            shapes.append("btr1.\u{00e9}.x.y.0.z")
            for shape in shapes {
                expectError(try await worker.refresh(shape), 400, "invalid_grant")
            }
            #expect(try await worker.refresh(token).status == 200)
        }
    }

    @Test func wrongContentTypesAndOversizedBodiesAreRefused() async throws {
        try await withWorker { worker in
            let json = try await LoopbackHTTPClient.send("POST", port: worker.port, path: "/oauth/token",
                                                     headers: [("Content-Type", "application/json")],
                                                     body: Array(#"{"grant_type":"refresh_token"}"#.utf8))
            expectError(json, 415, "unsupported_media_type")
            let none = try await LoopbackHTTPClient.send("POST", port: worker.port, path: "/oauth/token", body: Array("a=b".utf8))
            expectError(none, 415, "unsupported_media_type")
            let huge = try await LoopbackHTTPClient.send("POST", port: worker.port, path: "/oauth/token",
                                                     headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                                     body: Array(repeating: UInt8(ascii: "a"), count: 100_000))
            expectError(huge, 413, "request_too_large")
            let form = try await LoopbackHTTPClient.send("POST", port: worker.port, path: "/v1/sessions",
                                                     headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                                     body: Array("sub=alice".utf8))
            #expect(form.status == 401 || form.status == 415)
            #expect(try await worker.get("/healthz").status == 200)
        }
    }

    @Test func sessionEndpointRefusesBadCallersAndBodies() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let appSecretless = try await worker.createClient("backend-without-permission")!
            let login = TestWorker.basic("login", clients.loginSecret)
            let before = try await worker.redis.send("DBSIZE")

            expectError(try await worker.postJSON("/v1/sessions", #"{"sub":"a","client_id":"app"}"#), 401, "invalid_client")
            expectError(try await worker.postJSON("/v1/sessions", #"{"sub":"a","client_id":"app"}"#,
                                                  headers: [TestWorker.basic("login", "wrong")]), 401, "invalid_client")
            expectError(try await worker.postJSON("/v1/sessions", #"{"sub":"a","client_id":"app"}"#,
                                                  headers: [TestWorker.basic("backend-without-permission", appSecretless)]),
                        400, "unauthorized_client")
            for body in ["", "[]", "{", #"{"client_id":"app"}"#, #"{"sub":"","client_id":"app"}"#,
                         #"{"sub":"a"}"#, #"{"sub":7,"client_id":"app"}"#, #"{"sub":"a","client_id":"nobody"}"#,
                         #"{"sub":"a","client_id":"app","claims":{"iss":"evil"}}"#,
                         #"{"sub":"a","client_id":"app","claims":[1]}"#,
                         #"{"sub":"a","client_id":"app","auth_time":"yesterday"}"#,
                         #"{"sub":"a","client_id":"app","extra":true}"#,
                         #"{"sub":"a\u0000b","client_id":"app"}"#] {
                expectError(try await worker.postJSON("/v1/sessions", body, headers: [login]), 400, "invalid_request")
            }
            expectError(try await worker.postJSON("/v1/sessions", #"{"sub":"a","client_id":"app","scope":"admin"}"#,
                                                  headers: [login]), 400, "invalid_scope")
            #expect(try await worker.redis.send("DBSIZE") == before)
        }
    }

    @Test func unknownRoutesAndMethodsAnswerInOAuthShape() async throws {
        try await withWorker { worker in
            expectError(try await worker.get("/nope"), 404, "not_found")
            let wrongMethod = try await worker.get("/oauth/token")
            #expect([404, 405].contains(wrongMethod.status))
            #expect(wrongMethod.error != nil)
        }
    }

    @Test func adminAPINeedsTheAdminToken() async throws {
        try await withWorker { worker in
            let anonymous = try await worker.get("/admin/clients")
            expectError(anonymous, 401, "invalid_token")
            #expect(anonymous.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
            expectError(try await worker.get("/admin/clients", headers: [("Authorization", "Bearer wrong")]), 401, "invalid_token")
            expectError(try await worker.admin("POST", "/admin/clients", json: #"{"client_id":"bad id"}"#), 400, "invalid_request")
            expectError(try await worker.admin("POST", "/admin/clients", json: #"{"grant_types":["password"]}"#), 400, "invalid_request")
            expectError(try await worker.admin("POST", "/admin/clients", json: #"{"grace_period":-1}"#), 400, "invalid_request")
            expectError(try await worker.admin("POST", "/admin/clients", json: #"{"public":true,"permissions":["sessions"]}"#), 400, "invalid_request")
            expectError(try await worker.admin("GET", "/admin/clients/missing"), 404, "not_found")
            try await worker.createClient("dup")
            expectError(try await worker.admin("POST", "/admin/clients", json: #"{"client_id":"dup"}"#), 409, "conflict")
        }
    }
}
