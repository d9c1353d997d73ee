import BatonLocalServers
import Testing

/// Every JSON body is read strictly: an unknown member, a duplicate, a wrong type or a value out of
/// range is a 400 `invalid_request` whose description names the member, and nothing changes.
@Suite struct StrictJSONBodyTests {
    private func expectRefused(_ response: LoopbackHTTPResponse, naming hint: String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == 400, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.error == "invalid_request", "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.json["error_description"] as? String == hint, "\(response.text)", sourceLocation: sourceLocation)
    }

    @Test func clientCreationRefusesAMisspelledSettingInsteadOfIgnoringIt() async throws {
        try await withWorker { worker in
            let before = try await worker.admin("GET", "/admin/clients").text
            let refusals: [(String, String)] = [
                (#"{"client_id":"x","public":true,"grace_seconds":0}"#, "unknown member 'grace_seconds'"),
                (#"{"client_id":"x","grace_period":0,"grace_period":30}"#, "duplicate member 'grace_period'"),
                (#"{"client_id":"x","public":"yes"}"#, "'public' must be true or false"),
                (#"{"client_id":"x","grace_period":"0"}"#, "'grace_period' must be a whole number from 0 to 300"),
                (#"{"client_id":"x","grace_period":301}"#, "'grace_period' must be a whole number from 0 to 300"),
                (#"{"client_id":"x","access_token_ttl":1.5}"#, "'access_token_ttl' must be a whole number from 10 to 86400"),
                (#"{"client_id":"x","allowed_scopes":"read"}"#, "'allowed_scopes' must be an array of strings"),
                (#"{"client_id":"x","grant_types":["password"]}"#, "'grant_types' may hold only 'refresh_token', 'client_credentials'"),
                (#"{"client_id":null}"#, "'client_id' must be a string"),
                (#"{"client_id":"x",}"#, "malformed JSON at byte 17"),
            ]
            for (body, hint) in refusals {
                expectRefused(try await worker.admin("POST", "/admin/clients", json: body), naming: hint)
            }
            #expect(try await worker.admin("GET", "/admin/clients").text == before)
            // The intended spelling works.
            let created = try await worker.admin("POST", "/admin/clients", json: #"{"client_id":"x","public":true,"grace_period":0}"#)
            #expect(created.status == 201 && (created.json["policy"] as? [String: Any])?["grace_period"] as? Int == 0)
        }
    }

    @Test func clientUpdatesAndKeyRotationsAreReadTheSameWay() async throws {
        try await withWorker { worker in
            try await worker.createClient("app", json: #""public":true"#)
            let before = try await worker.admin("GET", "/admin/clients/app").text
            expectRefused(try await worker.admin("PATCH", "/admin/clients/app", json: #"{"idle_timout":60}"#),
                          naming: "unknown member 'idle_timout'")
            expectRefused(try await worker.admin("PATCH", "/admin/clients/app", json: #"{"audience":["a"]}"#),
                          naming: "'audience' must be a string")
            #expect(try await worker.admin("GET", "/admin/clients/app").text == before)
            let keys = try await worker.admin("GET", "/admin/keys").text
            expectRefused(try await worker.admin("POST", "/admin/keys/rotate", json: #"{"now":true,"algorithm":"RS256"}"#),
                          naming: "unknown member 'algorithm'")
            expectRefused(try await worker.admin("POST", "/admin/keys/rotate", json: #"{"lead":-5}"#),
                          naming: "'lead' must be a whole number from 0 to 86400")
            #expect(try await worker.admin("GET", "/admin/keys").text == keys)
        }
    }

    @Test func sessionCreationNamesTheOffendingMember() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let login = TestWorker.basic("login", clients.loginSecret)
            let before = try await worker.redis.send("DBSIZE")
            let refusals: [(String, String)] = [
                (#"{"sub":"a","client_id":"app","scopes":"read"}"#, "unknown member 'scopes'"),
                (#"{"sub":"a","sub":"b","client_id":"app"}"#, "duplicate member 'sub'"),
                (#"{"sub":"a","client_id":"app","auth_time":-1}"#, "'auth_time' must be a whole number from 0 to 253402300799"),
                (#"{"sub":"a","client_id":"app","claims":{"x":1,"x":2}}"#, "duplicate member 'x'"),
            ]
            for (body, hint) in refusals {
                expectRefused(try await worker.postJSON("/v1/sessions", body, headers: [login]), naming: hint)
            }
            #expect(try await worker.redis.send("DBSIZE") == before)
            #expect(try await worker.get("/healthz").status == 200)
        }
    }
}
