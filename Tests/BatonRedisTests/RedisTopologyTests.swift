import BatonRedis
import Testing

/// `--redis` URLs for one server, a Redis Cluster and a Sentinel-managed primary; malformed ones
/// are refused with a reason that never repeats a password.
@Suite struct RedisTopologyTests {
    @Test func clusterURLsListTheirSeeds() throws {
        let topology = try RedisTopology(url: "redis-cluster://app:s%40cret@10.0.0.1:7000,10.0.0.2,[::1]:7002")
        guard case .cluster(let seeds, let template) = topology else { Issue.record("not a cluster: \(topology)"); return }
        #expect(seeds == [ClusterNode(host: "10.0.0.1", port: 7000), ClusterNode(host: "10.0.0.2", port: 6379),
                          ClusterNode(host: "::1", port: 7002)])
        #expect(template.username == "app" && template.password == "s@cret" && template.database == 0)
    }

    @Test func sentinelURLsNameTheirMasterAndOptions() throws {
        let topology = try RedisTopology(url: "redis-sentinel://:pw@s1:26380,s2,s3/mymaster?db=2&sentinel_password=sp%21")
        guard case .sentinel(let sentinels, let name, let template, let sentinelPassword) = topology else {
            Issue.record("not a sentinel URL: \(topology)")
            return
        }
        #expect(sentinels.map(\.description) == ["s1:26380", "s2:26379", "s3:26379"])
        #expect(name == "mymaster" && template.database == 2 && template.password == "pw" && sentinelPassword == "sp!")
    }

    @Test func standaloneURLsAreAsBefore() throws {
        #expect(try RedisTopology(url: "redis://127.0.0.1:6380/1") == .standalone(try RedisConfiguration(url: "redis://127.0.0.1:6380/1")))
        #expect(try RedisTopology(url: "unix:///tmp/r.sock") == .standalone(try RedisConfiguration(url: "unix:///tmp/r.sock")))
    }

    @Test(arguments: [
        "redis-cluster://", "redis-cluster://:hunter2@h1:7000,", "redis-cluster://:hunter2@h1:7000/1",
        "redis-cluster://:hunter2@h1:99999", "redis-cluster://:hunter2@:7000",
        "redis-sentinel://:hunter2@s1,s2", "redis-sentinel://:hunter2@s1/", "redis-sentinel://:hunter2@s1/m?db=x",
        "redis-sentinel://:hunter2@s1/m?color=red", "rediss://:hunter2@h1",
    ])
    func malformedURLsAreRefusedWithoutTheirPassword(url: String) {
        do {
            let topology = try RedisTopology(url: url)
            Issue.record("accepted \(url) as \(topology)")
        } catch {
            #expect(!"\(error)".contains("hunter2"), "\(error)")
            #expect((error as? RedisError)?.code == .invalidConfiguration)
        }
    }

    @Test func eachTopologyConnectsWithItsOwnClientAndDescribesItselfWithoutThePassword() async throws {
        let urls = ["redis://:hunter2@127.0.0.1:1", "redis-cluster://:hunter2@127.0.0.1:1,127.0.0.1:2",
                    "redis-sentinel://:hunter2@127.0.0.1:1/m?sentinel_password=hunter2"]
        let topologies = try urls.map { try RedisTopology(url: $0).configured { $0.connectionCount = 1 } }
        #expect(topologies.map(\.description) == ["redis 127.0.0.1:1", "cluster seeds 127.0.0.1:1,127.0.0.1:2",
                                                  "sentinel 127.0.0.1:1 master m"])
        #expect(topologies.allSatisfy { $0.template.connectionCount == 1 })
        let clients = topologies.map { $0.connect() }
        #expect(clients[0] is RedisClient && clients[1] is RedisClusterClient && clients[2] is RedisSentinelClient)
        for client in clients { await client.shutdown() }
    }
}
