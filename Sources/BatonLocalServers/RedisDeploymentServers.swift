import Foundation

/// The three Redis deployments Baton runs on, as real local processes behind one type, so a test
/// can run the same checks on each: one `redis-server`, a Redis Cluster (3 primaries + 3
/// replicas) or a Sentinel deployment (1 primary + 2 replicas + 3 sentinels).
///
/// ```swift
/// let deployment = try await RedisDeploymentServers.start(.sentinel)
/// defer { deployment.stop() }
/// let redis = try RedisTopology(url: deployment.url).connect()
/// ```
public final class RedisDeploymentServers: Sendable {
    /// A deployment's shape.
    public enum Kind: String, CaseIterable, Sendable, CustomStringConvertible {
        /// One `redis-server`.
        case standalone
        /// Three primaries with a replica each, `cluster-node-timeout` 1 s.
        case cluster
        /// A primary, two replicas and three sentinels, `down-after-milliseconds` 1 s.
        case sentinel

        public var description: String { rawValue }
    }

    /// The deployment's shape.
    public let kind: Kind
    /// The URL Baton takes (`redis://`, `redis-cluster://`, `redis-sentinel://`).
    public let url: String
    /// The data servers (primaries and replicas; not the sentinels).
    public let servers: [RedisServer]
    /// The cluster, when `kind` is `.cluster`.
    public let cluster: RedisClusterServers?
    /// The sentinels and their servers, when `kind` is `.sentinel`.
    public let sentinel: RedisSentinelServers?

    /// How many replicas each primary has (what a `WAIT` can count on).
    public var replicasPerPrimary: Int {
        switch kind {
        case .standalone: 0
        case .cluster: 1
        case .sentinel: servers.count - 1
        }
    }

    private init(kind: Kind, url: String, servers: [RedisServer], cluster: RedisClusterServers?, sentinel: RedisSentinelServers?) {
        self.kind = kind
        self.url = url
        self.servers = servers
        self.cluster = cluster
        self.sentinel = sentinel
    }

    /// Starts a deployment of `kind` and waits until it is whole; a standalone server is
    /// append-only if asked and gets `extraArguments`.
    public static func start(_ kind: Kind, appendOnly: Bool = false, extraArguments: [String] = []) async throws
        -> RedisDeploymentServers {
        switch kind {
        case .standalone:
            let server = try await RedisServer.start(appendOnly: appendOnly, extraArguments: extraArguments)
            return RedisDeploymentServers(kind: kind, url: server.url, servers: [server], cluster: nil, sentinel: nil)
        case .cluster:
            let cluster = try await RedisClusterServers.start()
            let seeds = cluster.nodes.prefix(3).map { "127.0.0.1:\($0.port)" }.joined(separator: ",")
            return RedisDeploymentServers(kind: kind, url: "redis-cluster://" + seeds, servers: cluster.nodes, cluster: cluster,
                                          sentinel: nil)
        case .sentinel:
            let sentinel = try await RedisSentinelServers.start()
            return RedisDeploymentServers(kind: kind, url: sentinel.url, servers: sentinel.servers, cluster: nil, sentinel: sentinel)
        }
    }

    /// Stops every process and removes their directories.
    public func stop() {
        if let cluster { cluster.stop() } else if let sentinel { sentinel.stop() } else { for server in servers { server.stop() } }
    }

    /// Empties every primary (replicas follow) and resets the command statistics of every server.
    public func reset() async throws {
        for server in servers where server.pid != nil {
            let role = try await cli(server, ["ROLE"])
            if role.hasPrefix("master") { _ = try await cli(server, ["FLUSHALL"]) }
            _ = try await cli(server, ["CONFIG", "RESETSTAT"])
        }
    }

    /// The running servers that are replicas right now (`ROLE`).
    public func replicas() async throws -> [RedisServer] {
        var replicas: [RedisServer] = []
        for server in servers where server.pid != nil {
            if try await cli(server, ["ROLE"]).hasPrefix("slave") { replicas.append(server) }
        }
        return replicas
    }

    /// How many times `command` ran, summed over every server still running.
    public func calls(of command: String) async throws -> Int {
        var total = 0
        for server in servers where server.pid != nil {
            let info = try await cli(server, ["INFO", "commandstats"])
            guard let line = info.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("cmdstat_\(command.lowercased()):") }),
                  let calls = line.split(separator: ",").first?.split(separator: "=").last, let count = Int(calls) else { continue }
            total += count
        }
        return total
    }

    /// Runs `redis-cli` against `server` and returns its output.
    public func cli(_ server: RedisServer, _ arguments: [String]) async throws -> String {
        let result = try await runToCompletion("redis-cli", ["-p", String(server.port)] + arguments, timeout: .seconds(30))
        guard result.status == 0 else { throw LocalServerError("redis-cli \(arguments) failed: \(result.output)") }
        return result.output
    }
}
