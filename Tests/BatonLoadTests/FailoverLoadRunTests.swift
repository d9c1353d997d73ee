import BatonLoad
import BatonLocalServers
import BatonRedis
import Foundation
import Testing

/// A fault run as an operator would make one: baton-load's `refresh` scenario with
/// `--expect-faults` against two workers on a Redis Cluster, and a primary killed with SIGKILL
/// mid-run. The 503s are counted and printed, the run passes, no session is logged out by the fault.
@Suite(.serialized) struct FailoverLoadRunTests {
    @Test func aPrimaryKilledDuringABatonLoadFaultRun() async throws {
        try await BatonServeProcesses.with(count: 2, extra: ["--log-level", "warning", "--redis-timeout-ms", "1000"],
                                           redis: .cluster) { workers in
            let load = try workers.startLoad(workers.runArguments(["--scenario", "refresh", "--users", "64", "--connections", "8",
                                                                   "--rate", "400", "--duration", "12s", "--expect-faults"]))
            try await Task.sleep(for: .seconds(3))
            let client = try RedisTopology(url: workers.deployment.url).connect() as! RedisClusterClient
            try await client.waitUntilReady(timeout: .seconds(15))
            let primary = try #require(client.slotMap?.primaries.first)
            await client.shutdown()
            try #require(workers.deployment.servers.first { $0.port == primary.port }).kill()
            let run = await load.finish()
            let report = try #require(run.report, "no report: \(run.output)")
            print("FAULT RUN (cluster primary killed): \(report.requests) requests, 503s \(report.unavailable), transport errors \(report.transportErrors), logged out by fault \(report.loggedOutByFault)")
            #expect(run.status == 0 && report.passed, "\(run.output)")
            #expect(report.loggedOutByFault == 0 && report.correctness.brokenChains == 0 && report.correctness.unexpectedStatus == 0)
            #expect(report.unavailable > 0, "the fault was not felt: \(run.output)")
            #expect(run.output.contains("faults     503 unavailable: \(report.unavailable)"))
        }
    }
}
