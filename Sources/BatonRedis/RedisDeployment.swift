/// A Redis deployment of any topology as its users see it: every command names the key it
/// touches, so a Redis Cluster routes it to the node serving that key's slot, while one server
/// (`RedisClient`) or a Sentinel-managed primary (`RedisSentinelClient`) sends everything to the
/// same primary.
///
/// ```swift
/// let redis = try RedisTopology(url: "redis-cluster://127.0.0.1:7000,127.0.0.1:7001").connect()
/// try await redis.waitUntilReady(timeout: .seconds(5))
/// let name = try await redis.send(RedisCommand("GET", "user:{42}:name"), key: "user:{42}:name")
/// ```
public protocol RedisDeployment: Sendable {
    /// Sends `command`, whose key (the one that decides where it runs) is `key`.
    func send(_ command: RedisCommand, key: String) async throws -> RedisValue

    /// Runs `script` over `keys` (on a cluster they must share a slot) with EVALSHA, loading it
    /// where the server does not know it.
    func evaluate(_ script: RedisScript, keys: [String], arguments: [String]) async throws -> RedisValue

    /// Runs `script` as `evaluate(_:keys:arguments:)` does, with `WAIT` pipelined behind it on the
    /// same connection (one round trip); answers once the replicas acknowledged or the wait timed out.
    func evaluate(_ script: RedisScript, keys: [String], arguments: [String], waitingFor wait: ReplicaWait) async throws
        -> AcknowledgedReply

    /// A subscription on a dedicated connection that follows the deployment: when its node goes
    /// away it subscribes again on a node that serves (and reports the resubscription).
    func subscribe(to channels: [String]) -> RedisSubscription

    /// Whether every primary the deployment needs answers `PING` now.
    func isReachable() async -> Bool

    /// Waits until commands can be served (connected; on a cluster, every slot mapped; behind
    /// Sentinel, a primary confirmed); throws after `timeout`.
    func waitUntilReady(timeout: Duration) async throws

    /// How commands were routed so far: redirections followed (cluster), primary changes (Sentinel).
    var routing: RedisRoutingCounts { get }

    /// Closes every connection; later commands fail with `.shutdown` or `.notConnected`.
    func shutdown() async
}

/// Running totals of how a deployment routed commands.
public struct RedisRoutingCounts: Sendable, Equatable {
    /// `MOVED` redirections followed.
    public var moved = 0
    /// `ASK` redirections followed.
    public var ask = 0
    /// Moves to another primary.
    public var primaryChanges = 0

    /// Totals.
    public init(moved: Int = 0, ask: Int = 0, primaryChanges: Int = 0) {
        self.moved = moved
        self.ask = ask
        self.primaryChanges = primaryChanges
    }
}
