import BatonLocalServers
import Foundation
import Synchronization
import Testing
@testable import BatonRedis

/// The client's pipelining, scripts, `WAIT` and pub/sub on each deployment Baton runs on — one
/// redis-server, a Redis Cluster, a Sentinel deployment — all real processes; then the node under
/// the subscription is killed with SIGKILL (on a cluster and behind Sentinel a replica is promoted)
/// and commands and the subscription must carry on by themselves.
@Suite struct RedisDeploymentTests {
    /// Every event of a subscription, collected as it arrives (so a test can wait with a deadline).
    final class Events: Sendable {
        private final class Received: Sendable {
            let events = Mutex<[RedisSubscriptionEvent]>([])
        }

        private let received = Received()

        init(_ subscription: RedisSubscription) {
            let received = self.received
            Task { for await event in subscription { received.events.withLock { $0.append(event) } } }
        }

        var all: [RedisSubscriptionEvent] { received.events.withLock { $0 } }

        func waitFor(_ event: RedisSubscriptionEvent, _ what: String) async throws {
            try await poll(what, timeout: .seconds(30), every: .milliseconds(20)) { self.all.contains(event) }
        }
    }

    static let keys = (0..<40).map { "key-\($0)" }

    @Test(arguments: RedisDeploymentServers.Kind.allCases)
    func theClientOnEachDeployment(kind: RedisDeploymentServers.Kind) async throws {
        let deployment = try await RedisDeploymentServers.start(kind)
        defer { deployment.stop() }
        let redis = try RedisTopology(url: deployment.url).configured {
            $0.connectionCount = 2
            $0.commandTimeout = .seconds(2)
        }.connect()
        do {
            try await redis.waitUntilReady(timeout: .seconds(20))
            try await pipelinedCommandsAllLand(redis)
            try await scriptsRunAndAreReloadedAfterAFlush(redis, deployment)
            try await waitCountsTheReplicas(redis, deployment)
            try await theSubscriptionAndTheCommandsSurviveTheLossOfItsNode(redis, deployment)
        } catch {
            await redis.shutdown()
            throw error
        }
        await redis.shutdown()
    }

    /// 400 commands in flight at once over 40 keys (on a cluster, every primary's slots).
    private func pipelinedCommandsAllLand(_ redis: any RedisDeployment) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<10 {
                for key in Self.keys {
                    group.addTask { _ = try await redis.send(RedisCommand("INCR", key), key: key) }
                }
                if round == 5 { try await group.waitForAll() }
            }
            try await group.waitForAll()
        }
        for key in Self.keys {
            #expect(try await redis.send(RedisCommand("GET", key), key: key) == .bulkString(Array("10".utf8)), "\(key)")
        }
    }

    private func scriptsRunAndAreReloadedAfterAFlush(_ redis: any RedisDeployment, _ deployment: RedisDeploymentServers) async throws {
        let script = RedisScript("redis.call('HSET', KEYS[1], 'n', ARGV[1]); return redis.call('HINCRBY', KEYS[2], 'n', 1)")
        let keys = ["bt:{0a1b2c3d}:fam:x", "bt:{0a1b2c3d}:rv"]
        #expect(try await redis.evaluate(script, keys: keys, arguments: ["1"]) == .integer(1))
        for server in deployment.servers { _ = try await deployment.cli(server, ["SCRIPT", "FLUSH"]) }
        #expect(try await redis.evaluate(script, keys: keys, arguments: ["1"]) == .integer(2))
    }

    /// `WAIT` behind a script: every replica acknowledges; asking for one more times out with the
    /// count, and pauses the server's waits for a moment.
    private func waitCountsTheReplicas(_ redis: any RedisDeployment, _ deployment: RedisDeploymentServers) async throws {
        let script = RedisScript("return redis.call('INCR', KEYS[1])")
        let replicas = deployment.replicasPerPrimary
        let acknowledged = try await redis.evaluate(script, keys: ["bt:{ab}:n"], arguments: [],
                                                    waitingFor: ReplicaWait(replicas: replicas, timeout: .seconds(5)))
        #expect(acknowledged == AcknowledgedReply(value: .integer(1), replicasAcknowledged: replicas))
        let short = try await redis.evaluate(script, keys: ["bt:{ab}:n"], arguments: [],
                                             waitingFor: ReplicaWait(replicas: replicas + 1, timeout: .milliseconds(100)))
        #expect(short == AcknowledgedReply(value: .integer(2), replicasAcknowledged: replicas))
        // A short WAIT blocked its connection; for a moment the server's writes go without one.
        let started = ContinuousClock.now
        let paused = try await redis.evaluate(script, keys: ["bt:{ab}:n"], arguments: [],
                                              waitingFor: ReplicaWait(replicas: replicas + 1, timeout: .seconds(5)))
        #expect(paused == AcknowledgedReply(value: .integer(3), replicasAcknowledged: 0))
        #expect(ContinuousClock.now - started < .seconds(2))
        try await Task.sleep(for: ReplicaWait.pauseAfterShortfall)
        let again = try await redis.evaluate(script, keys: ["bt:{ab}:n"], arguments: [],
                                             waitingFor: ReplicaWait(replicas: replicas, timeout: .seconds(5)))
        #expect(again == AcknowledgedReply(value: .integer(4), replicasAcknowledged: replicas))
        guard replicas > 0 else { return }
        // Replicas that are online but stopped (slow) make a WAIT short without pausing the next one.
        let stopped = try await deployment.replicas()
        for replica in stopped { replica.pause() }
        do {
            for value in [5, 6] as [Int64] {
                let started = ContinuousClock.now
                let slow = try await redis.evaluate(script, keys: ["bt:{ab}:n"], arguments: [],
                                                    waitingFor: ReplicaWait(replicas: replicas, timeout: .milliseconds(300)))
                #expect(slow == AcknowledgedReply(value: .integer(value), replicasAcknowledged: 0))
                #expect(ContinuousClock.now - started >= .milliseconds(250), "the write waited for its replicas")
            }
        } catch {
            for replica in stopped { replica.resume() }
            throw error
        }
        for replica in stopped { replica.resume() }
        let caughtUp = try await redis.evaluate(script, keys: ["bt:{ab}:n"], arguments: [],
                                                waitingFor: ReplicaWait(replicas: replicas, timeout: .seconds(5)))
        #expect(caughtUp == AcknowledgedReply(value: .integer(7), replicasAcknowledged: replicas))
    }

    private func theSubscriptionAndTheCommandsSurviveTheLossOfItsNode(_ redis: any RedisDeployment,
                                                                      _ deployment: RedisDeploymentServers) async throws {
        let subscription = redis.subscribe(to: ["bt:control"])
        defer { subscription.cancel() }
        let events = Events(subscription)
        try await events.waitFor(.subscribed(resubscription: false), "the first subscription")
        _ = try await redis.send(RedisCommand("PUBLISH", "bt:control", "before"), key: "bt:control")
        try await events.waitFor(.message(channel: "bt:control", payload: Array("before".utf8)), "a message before the loss")

        // The node holding the subscription dies as a crash would.
        var victim: RedisServer?
        for server in deployment.servers {
            let subscribers = try await deployment.cli(server, ["CLIENT", "LIST", "TYPE", "pubsub"]).split(whereSeparator: \.isNewline)
            if subscribers.contains(where: { !$0.contains("name=sentinel-") }) { victim = server }  // not the sentinels' own
        }
        let node = try #require(victim, "no server holds the subscription")
        node.kill()
        if deployment.kind == .standalone { try await node.restart() }

        // Commands on every key carry on once a replica is promoted (or the server is back).
        try await poll("every key to be writable again", timeout: .seconds(30), every: .milliseconds(50)) {
            for key in Self.keys {
                guard (try? await redis.send(RedisCommand("INCR", key), key: key)) != nil else { return false }
            }
            return true
        }
        try await events.waitFor(.subscribed(resubscription: true), "the resubscription")
        _ = try await redis.send(RedisCommand("PUBLISH", "bt:control", "after"), key: "bt:control")
        try await events.waitFor(.message(channel: "bt:control", payload: Array("after".utf8)), "a message after the loss")
        if let sentinel = redis as? RedisSentinelClient {
            #expect(sentinel.primaryChanges == 1 && sentinel.primary?.port != node.port)
        }
        if let cluster = redis as? RedisClusterClient {
            #expect(cluster.slotMap?.nodes.contains { $0.port == node.port } == false)
        }
        #expect(await redis.isReachable())
    }
}
