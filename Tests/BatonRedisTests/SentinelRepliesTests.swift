import Testing
@testable import BatonRedis

/// Reading Sentinel's answers: the primary's address, `+switch-master` announcements, `ROLE`.
@Suite struct SentinelRepliesTests {
    @Test func thePrimaryAddressOfAGetMasterAddrByNameReply() {
        let reply = RedisValue.array([.bulkString(Array("127.0.0.1".utf8)), .bulkString(Array("6380".utf8))])
        #expect(SentinelReplies.primaryAddress(reply) == ClusterNode(host: "127.0.0.1", port: 6380))
        #expect(SentinelReplies.primaryAddress(.null) == nil)  // the sentinel does not know the name
        #expect(SentinelReplies.primaryAddress(.array([.bulkString(Array("h".utf8)), .bulkString(Array("0".utf8))])) == nil)
        #expect(SentinelReplies.primaryAddress(.array([.bulkString(Array("h".utf8))])) == nil)
    }

    @Test func aSwitchMasterMessageNamesTheNewPrimaryOfItsOwnName() {
        let payload = Array("baton 127.0.0.1 6379 127.0.0.1 6380".utf8)
        #expect(SentinelReplies.switchedPrimary(payload, masterName: "baton") == ClusterNode(host: "127.0.0.1", port: 6380))
        #expect(SentinelReplies.switchedPrimary(payload, masterName: "other") == nil)
        #expect(SentinelReplies.switchedPrimary(Array("baton 127.0.0.1 6379".utf8), masterName: "baton") == nil)
        #expect(SentinelReplies.switchedPrimary(Array("baton a 1 b port".utf8), masterName: "baton") == nil)
    }

    @Test func roleSaysWhetherTheServerIsAPrimary() {
        #expect(SentinelReplies.isPrimary(roleReply: .array([.bulkString(Array("master".utf8)), .integer(0), .array([])])))
        #expect(!SentinelReplies.isPrimary(roleReply: .array([.bulkString(Array("slave".utf8))])))
        #expect(!SentinelReplies.isPrimary(roleReply: .error("ERR unknown command")))
    }
}
