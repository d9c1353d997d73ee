import BatonLoad
import BatonLocalServers
import Foundation
import Testing

/// Slots moved between the masters of a live Redis Cluster while baton-load's `refresh` scenario
/// runs against two workers on it (open loop, 400/s) (`redis-cli --cluster reshard`, then `rebalance` back): the
/// workers follow MOVED and ASK by themselves, the run passes with no correctness failure, no 503
/// and no other 5xx, and the redirections they handled are counted.
@Suite(.serialized) struct ClusterReshardingTests {
    @Test func liveReshardingUnderTheRefreshScenario() async throws {
        try await BatonServeProcesses.with(count: 2, extra: ["--log-level", "warning", "--redis-timeout-ms", "1000"],
                                           redis: .cluster) { workers in
            let cluster = try #require(workers.deployment.cluster)
            let seed = "127.0.0.1:\(cluster.nodes[0].port)"
            // Open loop at a fixed rate: enough to meet every moving slot, without starving the other suites.
            let load = try workers.startLoad(workers.runArguments(["--scenario", "refresh", "--users", "200", "--connections", "8",
                                                                   "--rate", "400", "--duration", "20s"]))
            try await Task.sleep(for: .seconds(2))
            let primaries = try await cluster.cli(0, ["CLUSTER", "NODES"]).split(separator: "\n")
                .filter { $0.contains("master") && !$0.contains("fail") }.map { String($0.split(separator: " ")[0]) }
            try #require(primaries.count == 3)
            let started = ContinuousClock.now
            let reshard = try await runToCompletion("redis-cli", [
                "--cluster", "reshard", seed, "--cluster-from", primaries[0], "--cluster-to", primaries[1],
                "--cluster-slots", "1000", "--cluster-yes",
            ], timeout: .seconds(60))
            #expect(reshard.status == 0, "\(reshard.output.suffix(2000))")
            // The new owners' config epochs spread by gossip; rebalance refuses to start before every node agrees.
            try await poll("every node to agree on the slots", timeout: .seconds(30), every: .milliseconds(200)) {
                try await runToCompletion("redis-cli", ["--cluster", "check", seed], timeout: .seconds(30)).status == 0
            }
            let rebalance = try await runToCompletion("redis-cli", ["--cluster", "rebalance", seed], timeout: .seconds(60))
            #expect(rebalance.status == 0, "\(rebalance.output.suffix(2000))")
            let moving = ContinuousClock.now - started
            let run = await load.finish()
            let report = try #require(run.report, "no report: \(run.output)")
            var redirections: [String: Int] = [:]
            for index in workers.workers.indices {
                let metrics = try await workers.admin(index, "GET", "/metrics").text
                for kind in ["moved", "ask"] {
                    redirections[kind, default: 0] += metrics.split(separator: "\n")
                        .first { $0.hasPrefix(#"baton_redis_redirections_total{kind="\#(kind)"}"#) }
                        .flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }.map { Int($0) } ?? 0
                }
            }
            print("""
                RESHARD: 1000 slots moved and rebalanced back in \(moving) under load: \(report.requests) requests, \
                \(Int(report.throughput))/s, correctness failures \(report.correctnessFailures), 503s \(report.unavailable), \
                transport errors \(report.transportErrors), logged out by fault \(report.loggedOutByFault), \
                MOVED followed \(redirections["moved"] ?? 0), ASK followed \(redirections["ask"] ?? 0)
                """)
            #expect(run.status == 0 && report.passed, "\(run.output)")
            #expect(report.unavailable == 0 && report.transportErrors == 0 && report.loggedOutByFault == 0)
            #expect(report.operations.values.allSatisfy { $0.failures == 0 })
            #expect((redirections["moved"] ?? 0) > 0)
        }
    }
}
