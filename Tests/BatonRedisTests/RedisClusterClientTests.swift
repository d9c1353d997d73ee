import BatonLocalServers
import BatonRedis
import Testing

/// The slot map and the cluster client on a real six-node Redis Cluster: each key routed to the node
/// that serves it, keys spread over the primaries by slot, scripts run where their keys live
/// (NOSCRIPT reloaded per node), and a slot migrated by hand while commands run: ASK followed
/// during the migration, MOVED once it is done.
@Suite(.serialized) struct RedisClusterClientTests {
    private func withCluster(_ body: (RedisClusterServers, RedisClusterClient) async throws -> Void) async throws {
        let servers = try await RedisClusterServers.start()
        var template = try RedisConfiguration(url: "redis://127.0.0.1:\(servers.nodes[0].port)")
        template.connectionCount = 2
        let client = RedisClusterClient(seeds: servers.nodes.prefix(2).map { ClusterNode(host: "127.0.0.1", port: $0.port) },
                                        configuration: template)
        do {
            try await client.waitUntilReady()
            try await body(servers, client)
        } catch {
            await client.shutdown()
            servers.stop()
            throw error
        }
        await client.shutdown()
        servers.stop()
    }

    /// One cluster for every scenario (forming one takes seconds of two busy cores); the migration,
    /// which changes the cluster, comes last.
    @Test func theClientOnARealCluster() async throws {
        try await withCluster { servers, client in
            try await theMapRoutesEachKeyToTheNodeThatServesIt(servers, client)
            try await emptyThePrimaries(servers, client)
            try await keysSpreadOverThePrimariesBySlot(servers, client)
            try await emptyThePrimaries(servers, client)
            try await scriptsRunWhereTheirKeysLiveAndAreReloadedAfterAFlush(servers, client)
            try await aMigratingSlotIsFollowedByAskAndThenByMoved(servers, client)
        }
    }

    /// FLUSHALL on every primary, so that one scenario's keys do not meet the next one's.
    private func emptyThePrimaries(_ servers: RedisClusterServers, _ client: RedisClusterClient) async throws {
        for primary in try #require(client.slotMap).primaries {
            let index = try #require(servers.nodes.firstIndex { $0.port == primary.port })
            _ = try await servers.cli(index, ["FLUSHALL"])
        }
    }

    private func keysSpreadOverThePrimariesBySlot(_ servers: RedisClusterServers, _ client: RedisClusterClient) async throws {
        do {
            for index in 0..<300 {
                #expect(try await client.send(RedisCommand("SET", "key-\(index)", String(index)), key: "key-\(index)") == .status("OK"))
            }
            for index in stride(from: 0, to: 300, by: 7) {
                #expect(try await client.send(RedisCommand("GET", "key-\(index)"), key: "key-\(index)") == .bulkString(Array(String(index).utf8)))
            }
            let map = try #require(client.slotMap)
            var total: Int64 = 0
            for primary in map.primaries {
                let node = try #require(servers.nodes.first { $0.port == primary.port })
                let count = Int64(try await servers.cli(servers.nodes.firstIndex { $0 === node }!, ["DBSIZE"])
                    .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
                #expect(count > 50, "\(primary) holds \(count) of 300 keys")
                total += count
            }
            #expect(total == 300)
            #expect(client.routing == RedisRoutingCounts())
        }
    }

    private func scriptsRunWhereTheirKeysLiveAndAreReloadedAfterAFlush(_ servers: RedisClusterServers,
                                                                       _ client: RedisClusterClient) async throws {
        do {
            let script = RedisScript("redis.call('HSET', KEYS[1], 'n', ARGV[1]); return redis.call('HINCRBY', KEYS[2], 'n', 1)")
            let keys = ["bt:{0a1b2c3d}:fam:x", "bt:{0a1b2c3d}:rv"]
            #expect(try await client.evaluate(script, keys: keys, arguments: ["1"]) == .integer(1))
            for index in servers.nodes.indices { _ = try await servers.cli(index, ["SCRIPT", "FLUSH"]) }
            #expect(try await client.evaluate(script, keys: keys, arguments: ["1"]) == .integer(2))
        }
    }

    private func aMigratingSlotIsFollowedByAskAndThenByMoved(_ servers: RedisClusterServers, _ client: RedisClusterClient) async throws {
        do {
            let key = "migrating-key"
            let slot = HashSlot(key: key)
            let map = try #require(client.slotMap)
            let source = try #require(map.primary(for: slot))
            let target = try #require(map.primaries.first { $0 != source })
            let sourceIndex = try #require(servers.nodes.firstIndex { $0.port == source.port })
            let targetIndex = try #require(servers.nodes.firstIndex { $0.port == target.port })
            let sourceID = try await servers.cli(sourceIndex, ["CLUSTER", "MYID"]).trimmingCharacters(in: .whitespacesAndNewlines)
            let targetID = try await servers.cli(targetIndex, ["CLUSTER", "MYID"]).trimmingCharacters(in: .whitespacesAndNewlines)
            _ = try await servers.cli(targetIndex, ["CLUSTER", "SETSLOT", String(slot.value), "IMPORTING", sourceID])
            _ = try await servers.cli(sourceIndex, ["CLUSTER", "SETSLOT", String(slot.value), "MIGRATING", targetID])

            // The key is not on the source: it answers ASK, and the command lands on the target.
            #expect(try await client.send(RedisCommand("SET", key, "during"), key: key) == .status("OK"))
            #expect(try await client.send(RedisCommand("GET", key), key: key) == .bulkString(Array("during".utf8)))
            #expect(client.routing.ask >= 2 && client.routing.moved == 0)

            // The migration ends: every primary learns the slot's new owner; the next command meets MOVED.
            for index in map.primaries.compactMap({ primary in servers.nodes.firstIndex { $0.port == primary.port } }) {
                _ = try await servers.cli(index, ["CLUSTER", "SETSLOT", String(slot.value), "NODE", targetID])
            }
            #expect(try await client.send(RedisCommand("GET", key), key: key) == .bulkString(Array("during".utf8)))
            #expect(client.routing.moved >= 1)
            try await poll("the map to name the slot's new owner", timeout: .seconds(5)) {
                client.slotMap?.primary(for: slot) == target
            }
        }
    }

    /// The map read from a real cluster names, for each key, the node that accepts it; the others
    /// redirect there with MOVED for the slot HashSlot computes.
    private func theMapRoutesEachKeyToTheNodeThatServesIt(_ cluster: RedisClusterServers, _ client: RedisClusterClient) async throws {
        let seed = RedisClient(configuration: try RedisConfiguration(url: cluster.nodes[0].url))
        try await seed.waitUntilConnected(timeout: .seconds(15))
        let map = try ClusterSlotMap(shardsReply: try await seed.send("CLUSTER", "SHARDS"))
        await seed.shutdown()
        #expect(map.coversEverySlot)
        #expect(map.primaries.count == 3 && map.ranges.allSatisfy { $0.replicas.count == 1 })
        // Every key written to the node the map names is accepted there (no MOVED).
        for key in ["foo", "bar", "hello", "bt:{0a1b2c3d}:rv", "bt:{ffffffff}:rv", "x"] {
            let primary = try #require(map.primary(for: HashSlot(key: key)))
            let node = try #require(cluster.nodes.first { $0.port == primary.port })
            let client = RedisClient(configuration: try RedisConfiguration(url: node.url))
            try await client.waitUntilConnected(timeout: .seconds(15))
            #expect(try await client.send("SET", key, "1") == .status("OK"), "\(key)")
            // Another primary redirects with MOVED to exactly that node and slot.
            let other = try #require(map.primaries.first { $0 != primary })
            let elsewhere = RedisClient(configuration: try RedisConfiguration(url: "redis://127.0.0.1:\(other.port)"))
            try await elsewhere.waitUntilConnected(timeout: .seconds(15))
            do {
                _ = try await elsewhere.send("GET", key)
                Issue.record("\(key) was served by a node that does not own its slot")
            } catch let error as RedisError {
                #expect(Redirection(error) == Redirection(errorMessage: "MOVED \(HashSlot(key: key)) 127.0.0.1:\(primary.port)"))
            }
            await client.shutdown()
            await elsewhere.shutdown()
        }
    }
}
