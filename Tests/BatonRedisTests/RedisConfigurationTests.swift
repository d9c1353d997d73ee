import Testing
@testable import BatonRedis

@Suite struct RedisConfigurationTests {
    @Test func parsesTCPURLs() throws {
        let plain = try RedisConfiguration(url: "redis://127.0.0.1:6380")
        #expect(plain.endpoint == .tcp(host: "127.0.0.1", port: 6380))
        #expect(plain.password == nil && plain.username == nil && plain.database == 0)

        let full = try RedisConfiguration(url: "redis://baton:s%40cret@redis.internal:6379/3")
        #expect(full.endpoint == .tcp(host: "redis.internal", port: 6379))
        #expect(full.username == "baton")
        #expect(full.password == "s@cret")
        #expect(full.database == 3)

        let passwordOnly = try RedisConfiguration(url: "redis://:pw@localhost")
        #expect(passwordOnly.endpoint == .tcp(host: "localhost", port: 6379))
        #expect(passwordOnly.username == nil && passwordOnly.password == "pw")

        let ipv6 = try RedisConfiguration(url: "redis://[::1]:7000/1")
        #expect(ipv6.endpoint == .tcp(host: "::1", port: 7000))
        #expect(ipv6.database == 1)
    }

    @Test func parsesUnixURLs() throws {
        let socket = try RedisConfiguration(url: "unix:///var/run/redis.sock")
        #expect(socket.endpoint == .unix(path: "/var/run/redis.sock"))
        let withOptions = try RedisConfiguration(url: "unix:///tmp/r.sock?db=2&password=a%26b")
        #expect(withOptions.database == 2)
        #expect(withOptions.password == "a&b")
    }

    @Test(arguments: [
        "http://127.0.0.1:6379",
        "127.0.0.1:6379",
        "redis://",
        "redis://:pw@",
        "redis://host:0",
        "redis://host:65536",
        "redis://host:port",
        "redis://host:6379/x",
        "redis://host:6379/-1",
        "redis://[::1:6379",
        "redis://:bad%zzescape@host",
        "unix://relative.sock",
        "unix:///",
        "unix:///tmp/r.sock?db=x",
        "unix:///tmp/r.sock?color=red",
    ])
    func rejectsMalformedURLs(url: String) {
        #expect {
            try RedisConfiguration(url: url)
        } throws: { error in
            (error as? RedisError)?.code == .invalidConfiguration
        }
    }

    @Test func errorsNeverEchoCredentials() {
        do {
            _ = try RedisConfiguration(url: "redis://:topsecret@host:notaport")
            Issue.record("expected an error")
        } catch {
            #expect(!"\(error)".contains("topsecret"))
        }
    }
}
