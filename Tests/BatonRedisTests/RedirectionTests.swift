import BatonRedis
import Testing

/// MOVED and ASK errors read as values; anything else is not a redirection.
@Suite struct RedirectionTests {
    @Test func movedAndAskAreParsed() throws {
        let moved = try #require(Redirection(errorMessage: "MOVED 3999 127.0.0.1:6381"))
        #expect(moved.kind == .moved && moved.slot.value == 3999 && moved.node == ClusterNode(host: "127.0.0.1", port: 6381))
        let ask = try #require(Redirection(RedisError(.server, "ASK 12182 10.0.0.7:7002")))
        #expect(ask.kind == .ask && ask.slot.value == 12182 && ask.node.port == 7002)
        let ipv6 = try #require(Redirection(errorMessage: "MOVED 1 ::1:7000"))
        #expect(ipv6.node == ClusterNode(host: "::1", port: 7000) && ipv6.node.description == "[::1]:7000")
    }

    @Test(arguments: ["ERR unknown command", "MOVED", "MOVED 16384 127.0.0.1:1", "MOVED x 127.0.0.1:1",
                      "ASK 1 127.0.0.1", "ASK 1 127.0.0.1:0", "ASK 1 127.0.0.1:70000", "TRYAGAIN Multiple keys request during rehashing of slot"])
    func otherErrorsAreNotRedirections(message: String) {
        #expect(Redirection(errorMessage: message) == nil)
    }

    @Test func onlyServerErrorsCanRedirect() {
        #expect(Redirection(RedisError(.timeout, "MOVED 1 127.0.0.1:7000")) == nil)
    }
}
