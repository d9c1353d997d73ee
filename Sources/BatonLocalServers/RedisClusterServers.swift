import BatonSystem
import Foundation
import Synchronization

/// A real Redis Cluster on loopback: `primaries` masters with `replicasPerPrimary` replicas each
/// (six `redis-server --cluster-enabled yes` by default), joined with `redis-cli --cluster create`
/// and waited for until every slot is served and every node is online. Stopped by pid.
///
/// ```swift
/// let cluster = try await RedisClusterServers.start()
/// defer { cluster.stop() }
/// let seed = cluster.nodes[0].url
/// ```
public final class RedisClusterServers: Sendable {
    /// Every node, primaries first as `redis-cli` assigned them at creation.
    public let nodes: [RedisServer]
    private let stopped = Atomic<Bool>(false)

    private init(nodes: [RedisServer]) {
        self.nodes = nodes
    }

    /// Starts the nodes, creates the cluster and waits until it is whole.
    public static func start(primaries: Int = 3, replicasPerPrimary: Int = 1, nodeTimeoutMilliseconds: Int = 1000) async throws
        -> RedisClusterServers {
        await DeploymentGate.shared.acquire()
        var nodes: [RedisServer] = []
        do {
            for _ in 0..<(primaries * (1 + replicasPerPrimary)) {
                nodes.append(try await RedisServer.start(extraArguments: [
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", String(nodeTimeoutMilliseconds),
                    "--cluster-port", String(try freeLoopbackPort()),
                ]))
            }
            let cluster = RedisClusterServers(nodes: nodes)
            let create = try await runToCompletion(
                "redis-cli", ["--cluster", "create"] + nodes.map { "127.0.0.1:\($0.port)" }
                    + ["--cluster-replicas", String(replicasPerPrimary), "--cluster-yes"],
                timeout: .seconds(60))
            guard create.status == 0 else { throw LocalServerError("redis-cli --cluster create failed: \(create.output)") }
            try await poll("the cluster to serve every slot on every node", timeout: .seconds(30), every: .milliseconds(100)) {
                try await cluster.isWhole(expectedNodes: nodes.count)
            }
            return cluster
        } catch {
            for node in nodes { node.stop() }
            await DeploymentGate.shared.release()
            throw error
        }
    }

    /// Stops every node and removes their directories (once; later calls do nothing).
    public func stop() {
        guard stopped.exchange(true, ordering: .relaxed) == false else { return }
        for node in nodes { node.stop() }
        Task { await DeploymentGate.shared.release() }
    }

    /// Runs `redis-cli` against node `index` and returns its output (for `CLUSTER` commands in tests).
    public func cli(_ index: Int, _ arguments: [String]) async throws -> String {
        let result = try await runToCompletion("redis-cli", ["-p", String(nodes[index].port)] + arguments, timeout: .seconds(30))
        guard result.status == 0 else { throw LocalServerError("redis-cli \(arguments) failed: \(result.output)") }
        return result.output
    }

    /// Whether every node reports `cluster_state:ok` and knows all the others, and every node,
    /// replicas included, is `online` (synchronised) in `CLUSTER SHARDS`.
    private func isWhole(expectedNodes: Int) async throws -> Bool {
        for index in nodes.indices {
            let info = try await cli(index, ["CLUSTER", "INFO"])
            guard info.contains("cluster_state:ok"), info.contains("cluster_known_nodes:\(expectedNodes)") else { return false }
        }
        let shards = try await cli(0, ["CLUSTER", "SHARDS"])
        return shards.split(separator: "\n").filter { $0 == "online" }.count == expectedNodes
    }
}
