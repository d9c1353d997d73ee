import Testing
@testable import BatonRedis

@Suite struct RedisErrorTests {
    @Test func transientFailuresAreThoseThatPassByThemselves() {
        #expect(RedisError(.timeout, "").isTransient)
        #expect(RedisError(.notConnected, "").isTransient)
        #expect(RedisError(.server, "LOADING Redis is loading the dataset in memory").isTransient)
        #expect(RedisError(.server, "BUSY Redis is busy running a script").isTransient)
        #expect(!RedisError(.server, "ERR wrong number of arguments").isTransient)
        #expect(!RedisError(.server, "NOSCRIPT No matching script").isTransient)
        #expect(!RedisError(.protocolViolation, "").isTransient)
    }

    @Test func serverErrorPrefixIsTheFirstWord() {
        #expect(RedisError(.server, "WRONGTYPE Operation against a key").serverErrorPrefix == "WRONGTYPE")
        #expect(RedisError(.timeout, "WRONGTYPE").serverErrorPrefix == nil)
    }
}
