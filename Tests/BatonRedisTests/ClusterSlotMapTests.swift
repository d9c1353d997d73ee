import BatonRedis
import Testing

/// The slot map read from canned `CLUSTER SHARDS` and `CLUSTER SLOTS` replies (a real cluster's:
/// `RedisClusterClientTests`).
@Suite struct ClusterSlotMapTests {
    private func node(_ port: Int64, _ role: String, health: String = "online") -> RedisValue {
        .array([.bulkString(Array("id".utf8)), .bulkString(Array("abc".utf8)), .bulkString(Array("port".utf8)), .integer(port),
                .bulkString(Array("ip".utf8)), .bulkString(Array("127.0.0.1".utf8)),
                .bulkString(Array("endpoint".utf8)), .bulkString(Array("127.0.0.1".utf8)),
                .bulkString(Array("role".utf8)), .bulkString(Array(role.utf8)),
                .bulkString(Array("health".utf8)), .bulkString(Array(health.utf8))])
    }

    private func shard(_ slots: [Int64], _ nodes: [RedisValue]) -> RedisValue {
        .array([.bulkString(Array("slots".utf8)), .array(slots.map { .integer($0) }),
                .bulkString(Array("nodes".utf8)), .array(nodes)])
    }

    @Test func shardsReplyBecomesAMapThatRoutesEverySlot() throws {
        let reply = RedisValue.array([
            shard([0, 5460], [node(7000, "master"), node(7003, "replica")]),
            shard([5461, 10922], [node(7001, "master"), node(7004, "replica", health: "loading")]),
            shard([10923, 16383], [node(7002, "master"), node(7005, "replica")]),
        ])
        let map = try ClusterSlotMap(shardsReply: reply)
        #expect(map.coversEverySlot)
        #expect(map.primaries.map(\.port) == [7000, 7001, 7002])
        #expect(map.primary(for: HashSlot(0)!)?.port == 7000)
        #expect(map.primary(for: HashSlot(5461)!)?.port == 7001)
        #expect(map.primary(for: HashSlot(key: "foo"))?.port == 7002)  // slot 12182
        #expect(map.ranges[1].replicas.isEmpty)                          // a loading replica is left out
    }

    @Test func aShardWithoutAnOnlinePrimaryLeavesAHole() throws {
        let map = try ClusterSlotMap(shardsReply: .array([
            shard([0, 8191], [node(7000, "master")]),
            shard([8192, 16383], [node(7001, "master", health: "fail")]),
        ]))
        #expect(!map.coversEverySlot)
        #expect(map.primary(for: HashSlot(9000)!) == nil)
    }

    @Test func slotsReplyIsReadToo() throws {
        let entry = { (start: Int64, end: Int64, port: Int64) -> RedisValue in
            .array([.integer(start), .integer(end), .array([.bulkString(Array("127.0.0.1".utf8)), .integer(port)])])
        }
        let map = try ClusterSlotMap(slotsReply: .array([entry(8192, 16383, 7001), entry(0, 8191, 7000)]))
        #expect(map.coversEverySlot && map.primary(for: HashSlot(8191)!)?.port == 7000)
    }

    @Test(arguments: [RedisValue.status("OK"), .array([.array([.bulkString(Array("slots".utf8))])]),
                      .array([.array([.bulkString(Array("slots".utf8)), .array([.integer(5), .integer(2)]),
                                      .bulkString(Array("nodes".utf8)), .array([])])])])
    func malformedRepliesAreRefused(reply: RedisValue) {
        #expect(throws: RedisError.self) { try ClusterSlotMap(shardsReply: reply) }
    }
}
