@testable import BatonLoad
import Testing

/// The values users type: base URLs, durations, mixes.
@Suite struct CommandLineValuesTests {
    @Test func targets() throws {
        let plain = try LoadTarget(parsing: "http://127.0.0.1:8080")
        #expect(plain.host == "127.0.0.1" && plain.port == 8080 && plain.hostHeader == "127.0.0.1:8080" && plain.path("/healthz") == "/healthz")
        let prefixed = try LoadTarget(parsing: "http://localhost/baton/")
        #expect(prefixed.port == 80 && prefixed.hostHeader == "localhost" && prefixed.path("/oauth/token") == "/baton/oauth/token")
        let v6 = try LoadTarget(parsing: "http://[::1]:9000")
        #expect(v6.host == "::1" && v6.hostHeader == "[::1]:9000")
        for bad in ["https://127.0.0.1", "127.0.0.1:8080", "http://:80", "http://host:99999", "http://user@host"] {
            #expect(throws: LoadError.self, "\(bad)") { try LoadTarget(parsing: bad) }
        }
    }

    @Test func durations() throws {
        #expect(try DurationText.parse("10s", option: "--duration") == .seconds(10))
        #expect(try DurationText.parse("250ms", option: "--duration") == .milliseconds(250))
        #expect(try DurationText.parse("1.5s", option: "--duration") == .milliseconds(1_500))
        #expect(try DurationText.parse("2m", option: "--duration") == .seconds(120))
        #expect(throws: LoadError.self) { try DurationText.parse("10", option: "--duration") }
        #expect(throws: LoadError.self) { try DurationText.parse("-1s", option: "--duration") }
    }

    @Test func mixes() throws {
        let mix = try OperationMix(parsing: "create=1,refresh=8,introspect=1,revoke=0.2")
        #expect(mix == OperationMix.standard)
        #expect(mix.description == "create=1,refresh=8,introspect=1,revoke=0.2")
        #expect(mix.pick(0) == .create)
        #expect(mix.pick(0.5) == .refresh)
        #expect(mix.pick(0.99) == .revoke)
        let onlyRefresh = try OperationMix(parsing: "refresh=1,revoke=0")
        #expect((0..<10).allSatisfy { onlyRefresh.pick(Double($0) / 10) == .refresh })
        for bad in ["", "login=1", "refresh=-1", "refresh=x", "revoke=0"] {
            #expect(throws: LoadError.self, "\(bad)") { try OperationMix(parsing: bad) }
        }
    }

    @Test func configurationsThatCannotWorkAreRefused() throws {
        let target = try LoadTarget(parsing: "http://127.0.0.1:8080")
        var refresh = RunConfiguration(scenario: .refresh, targets: [target])
        #expect(throws: LoadError.usage("the refresh scenario creates clients through the admin API: give --admin-token or --admin-token-file")) {
            try refresh.validate()
        }
        refresh.adminToken = "t"
        try refresh.validate()
        var storm = refresh
        storm.scenario = .storm
        storm.rate = 100
        #expect(throws: LoadError.self) { try storm.validate() }
        try RunConfiguration(scenario: .healthz, targets: [target]).validate()
    }
}
