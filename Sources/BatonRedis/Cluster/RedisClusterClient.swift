import NIOPosix
import Synchronization

/// A Redis Cluster client: the slot map from `CLUSTER SHARDS`, a pool of pipelined connections
/// (`RedisClient`) per node, and every command sent to the primary that serves its key's slot.
///
/// - `MOVED` → the map is refreshed (one refresh for every caller that meets it) and the command
///   sent to the node named; `ASK` → `ASKING` and the command on the node named, map unchanged.
/// - `TRYAGAIN`, `CLUSTERDOWN`, `LOADING`, `MASTERDOWN`, or a node not reachable → the map is
///   refreshed and the command retried with backoff, within the configuration's command timeout;
///   then the error is thrown (Baton answers 503). A timeout or a connection lost mid-command is
///   thrown at once: the command may have run.
/// - At most `maximumRedirections` redirections per command.
///
/// ```swift
/// let cluster = RedisClusterClient(seeds: [ClusterNode(host: "127.0.0.1", port: 7000)], configuration: template)
/// let value = try await cluster.send(RedisCommand("GET", "user:{42}:name"), key: "user:{42}:name")
/// ```
public final class RedisClusterClient: RedisDeployment {
    /// Where the map is first asked for.
    public let seeds: [ClusterNode]
    /// Credentials, timeouts and pool size every node's client gets.
    public let configuration: RedisConfiguration
    /// The most redirections one command follows.
    public let maximumRedirections = 5

    private struct State {
        var map: ClusterSlotMap?
        var clients: [ClusterNode: RedisClient] = [:]
        var refresh: Task<ClusterSlotMap, any Error>?
        var isShutDown = false
    }

    private let state = Mutex(State())
    private let moved = Atomic<Int>(0)
    private let asked = Atomic<Int>(0)

    /// A client that learns the cluster from `seeds`; connections are made on first use.
    public init(seeds: [ClusterNode], configuration: RedisConfiguration) {
        precondition(!seeds.isEmpty, "a cluster client needs at least one seed node")
        self.seeds = seeds
        self.configuration = configuration
    }

    /// How many MOVED and ASK redirections commands have followed.
    public var routing: RedisRoutingCounts {
        RedisRoutingCounts(moved: moved.load(ordering: .relaxed), ask: asked.load(ordering: .relaxed))
    }

    /// The slot map in use (nil before the first command or `waitUntilReady`).
    public var slotMap: ClusterSlotMap? { state.withLock { $0.map } }

    /// Waits until a map that serves every slot has been read; throws after `timeout`.
    public func waitUntilReady(timeout: Duration = .seconds(5)) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                if try await refreshMap().coversEverySlot { return }
            } catch where ContinuousClock.now < deadline {}
            guard ContinuousClock.now < deadline else {
                throw RedisError(.notConnected, "no seed of the cluster described every slot within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Sends `command`, whose key is `key`, to the primary serving the key's slot.
    public func send(_ command: RedisCommand, key: some Collection<UInt8>) async throws -> RedisValue {
        try await run(slot: HashSlot(key: key)) { client, asking in
            asking ? try await client.sendAsking(command) : try await client.send(command)
        }
    }

    /// Sends `command`, whose key is `key`, to the primary serving the key's slot.
    public func send(_ command: RedisCommand, key: String) async throws -> RedisValue {
        try await send(command, key: key.utf8)
    }

    /// Runs `script` (EVALSHA, loaded on each node as needed) on the primary serving its keys,
    /// which must all share one slot: keys across slots are a programming error.
    public func evaluate(_ script: RedisScript, keys: [String], arguments: [String] = []) async throws -> RedisValue {
        try await run(slot: Self.slot(of: keys)) { client, asking in
            guard asking else { return try await client.evaluate(script, keys: keys, arguments: arguments) }
            // Once on an importing node: EVAL with the source, so NOSCRIPT cannot come between.
            return try await client.sendAsking(RedisCommand("EVAL", [script.source, String(keys.count)] + keys + arguments))
        }
    }

    /// Runs `script` as `evaluate(_:keys:arguments:)` does, with `wait` pipelined behind it on the
    /// same connection of the key's primary.
    public func evaluate(_ script: RedisScript, keys: [String], arguments: [String], waitingFor wait: ReplicaWait) async throws
        -> AcknowledgedReply {
        try await run(slot: Self.slot(of: keys)) { client, asking in
            guard asking else { return try await client.evaluate(script, keys: keys, arguments: arguments, waitingFor: wait) }
            return try await client.send(RedisCommand("EVAL", [script.source, String(keys.count)] + keys + arguments),
                                         asking: true, waitingFor: wait)
        }
    }

    /// A subscription on one node of the cluster (`PUBLISH` reaches every node); when that node
    /// goes away it subscribes again on the next node the map knows.
    public func subscribe(to channels: [String]) -> RedisSubscription {
        RedisSubscription(channels: channels, timing: configuration, eventLoop: MultiThreadedEventLoopGroup.singleton.next()) {
            [weak self] attempt in
            guard let self else { return nil }
            let nodes = self.state.withLock { ($0.map?.nodes ?? []) } + self.seeds
            return self.configuration(of: nodes[attempt % nodes.count])
        }
    }

    /// Whether the map serves every slot and every primary answers `PING`.
    public func isReachable() async -> Bool {
        guard let map = slotMap, map.coversEverySlot else { return false }
        for node in map.primaries {
            guard let client = try? client(for: node), await client.isReachable() else { return false }
        }
        return true
    }

    /// Closes every node's connections.
    public func shutdown() async {
        let clients = state.withLock { state in
            state.isShutDown = true
            state.refresh?.cancel()
            defer { state.clients = [:] }
            return Array(state.clients.values)
        }
        for client in clients { await client.shutdown() }
    }

    // MARK: Routing

    /// The one slot of a script's keys; keys across slots are a programming error.
    private static func slot(of keys: [String]) -> HashSlot {
        guard let first = keys.first else { preconditionFailure("a script on a cluster needs a key to route it") }
        let slot = HashSlot(key: first)
        precondition(keys.allSatisfy { HashSlot(key: $0) == slot }, "the keys of one script must share a slot: \(keys)")
        return slot
    }

    private func run<T: Sendable>(slot: HashSlot, _ operation: (RedisClient, _ asking: Bool) async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + configuration.commandTimeout
        var redirected: Redirection?
        var redirections = 0
        var backoff = Duration.milliseconds(5)
        while true {
            let node: ClusterNode
            if let redirected { node = redirected.node } else { node = try await primary(for: slot) }
            do {
                return try await operation(try client(for: node), redirected?.kind == .ask)
            } catch let error as RedisError {
                if let redirection = Redirection(error) {
                    redirections += 1
                    guard redirections <= maximumRedirections else {
                        throw RedisError(.server, "more than \(maximumRedirections) redirections for slot \(slot); last: \(error.message)")
                    }
                    redirected = redirection
                    if redirection.kind == .moved {
                        moved.wrappingAdd(1, ordering: .relaxed)
                        startRefresh()
                    } else {
                        asked.wrappingAdd(1, ordering: .relaxed)
                    }
                    continue
                }
                guard Self.notExecuted(error), ContinuousClock.now + backoff < deadline else { throw error }
                redirected = nil
                startRefresh()
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .milliseconds(100))
            }
        }
    }

    /// Errors after which the command certainly did not run, so it may be sent again.
    private static func notExecuted(_ error: RedisError) -> Bool {
        switch error.code {
        case .notConnected, .connectFailed: return true
        case .server: return ["TRYAGAIN", "CLUSTERDOWN", "LOADING", "MASTERDOWN"].contains(error.serverErrorPrefix ?? "")
        default: return false
        }
    }

    /// The primary serving `slot`, reading the map first if there is none or it has a hole there.
    private func primary(for slot: HashSlot) async throws -> ClusterNode {
        if let node = state.withLock({ $0.map?.primary(for: slot) }) { return node }
        guard let node = try await refreshMap().primary(for: slot) else {
            throw RedisError(.notConnected, "no node of the cluster serves slot \(slot)")
        }
        return node
    }

    private func client(for node: ClusterNode) throws -> RedisClient {
        try state.withLock { state in
            guard !state.isShutDown else { throw RedisError(.shutdown, "the cluster client was shut down") }
            if let client = state.clients[node] { return client }
            let client = RedisClient(configuration: configuration(of: node))
            state.clients[node] = client
            return client
        }
    }

    /// The template's credentials and timeouts, aimed at `node`.
    private func configuration(of node: ClusterNode) -> RedisConfiguration {
        var nodeConfiguration = configuration
        nodeConfiguration.endpoint = .tcp(host: node.host, port: node.port)
        nodeConfiguration.database = 0
        return nodeConfiguration
    }

    // MARK: The slot map

    /// Starts a refresh in the background unless one is under way.
    private func startRefresh() {
        _ = refreshTask()
    }

    /// Reads the map again (joining a refresh under way) and makes it the one in use.
    @discardableResult
    private func refreshMap() async throws -> ClusterSlotMap {
        try await refreshTask().value
    }

    private func refreshTask() -> Task<ClusterSlotMap, any Error> {
        state.withLock { current in
            if let refresh = current.refresh { return refresh }
            let candidates = (current.map?.nodes ?? []) + seeds
            let refresh = Task { [self] in
                defer { self.state.withLock { $0.refresh = nil } }
                let map = try await fetchMap(from: candidates)
                let gone = self.state.withLock { state in
                    state.map = map
                    let known = Set(map.nodes + self.seeds)
                    let gone = state.clients.filter { !known.contains($0.key) }
                    for node in gone.keys { state.clients[node] = nil }
                    return Array(gone.values)
                }
                for client in gone { await client.shutdown() }
                return map
            }
            current.refresh = refresh
            return refresh
        }
    }

    /// The first map a candidate describes that serves every slot, else the last one read.
    private func fetchMap(from candidates: [ClusterNode]) async throws -> ClusterSlotMap {
        var best: ClusterSlotMap?
        var lastError: any Error = RedisError(.notConnected, "no cluster node to ask")
        for node in Set(candidates) {
            do {
                let client = try client(for: node)
                // A node that does not connect at once is likely the one that failed: ask the next.
                try await client.waitUntilConnected(timeout: min(configuration.connectTimeout, .milliseconds(250)))
                let map = try ClusterSlotMap(shardsReply: try await client.send("CLUSTER", "SHARDS"))
                if map.coversEverySlot { return map }
                best = best ?? map
            } catch {
                lastError = error
            }
        }
        if let best { return best }
        throw lastError
    }
}
