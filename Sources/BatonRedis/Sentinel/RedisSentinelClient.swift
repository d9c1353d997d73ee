import NIOCore
import NIOPosix
import Synchronization

/// A primary managed by Redis Sentinel, reached through the sentinels that watch it:
///
/// - The sentinels are asked in turn (`SENTINEL get-master-addr-by-name`); the address is checked
///   with `ROLE` (it must say `master`, else the client backs off and asks again); then a pool of
///   pipelined connections (`RedisClient`) serves every command.
/// - The client subscribes to `+switch-master` on the sentinels and moves to the new primary;
///   it also asks again when a command finds no connection up, when the server answers
///   `READONLY` (a demoted primary), and after its sentinel subscription was lost.
/// - A command that certainly did not run (no connection, `READONLY`, `LOADING`, `MASTERDOWN`)
///   is retried with backoff inside the command timeout, then its error is thrown (Baton answers
///   503). A timeout or a connection lost mid-command is thrown at once: the command may have run.
///
/// ```swift
/// let redis = RedisSentinelClient(sentinels: [ClusterNode(host: "127.0.0.1", port: 26379)],
///                                 masterName: "baton", configuration: template, sentinelPassword: nil)
/// try await redis.waitUntilReady(timeout: .seconds(5))
/// ```
public final class RedisSentinelClient: RedisDeployment {
    /// The sentinels asked for the primary, in this order.
    public let sentinels: [ClusterNode]
    /// The name the sentinels monitor the primary under.
    public let masterName: String
    /// Credentials, database, timeouts and pool size of the primary's connections.
    public let configuration: RedisConfiguration
    private let sentinelPassword: String?

    private struct State {
        var primary: (node: ClusterNode, client: RedisClient)?
        var resolving: Task<Void, Never>?
        var resolveAgain = false
        var watch: (subscription: RedisSubscription, task: Task<Void, Never>)?
        var isShutDown = false
    }

    private let state = Mutex(State())
    private let changes = Atomic<Int>(0)

    /// A client that learns the primary from `sentinels` and starts doing so at once.
    public init(sentinels: [ClusterNode], masterName: String, configuration: RedisConfiguration, sentinelPassword: String?) {
        precondition(!sentinels.isEmpty, "a Sentinel client needs at least one sentinel")
        self.sentinels = sentinels
        self.masterName = masterName
        self.configuration = configuration
        self.sentinelPassword = sentinelPassword
        watchSwitches()
        startResolving()
    }

    /// The primary in use, once the sentinels named one and it confirmed its role.
    public var primary: ClusterNode? { state.withLock { $0.primary?.node } }

    /// How many times the client moved to another primary.
    public var primaryChanges: Int { changes.load(ordering: .relaxed) }

    // MARK: RedisDeployment

    public var routing: RedisRoutingCounts { RedisRoutingCounts(primaryChanges: primaryChanges) }

    public func send(_ command: RedisCommand, key: String) async throws -> RedisValue {
        try await run { try await $0.send(command) }
    }

    public func evaluate(_ script: RedisScript, keys: [String], arguments: [String]) async throws -> RedisValue {
        try await run { try await $0.evaluate(script, keys: keys, arguments: arguments) }
    }

    public func evaluate(_ script: RedisScript, keys: [String], arguments: [String], waitingFor wait: ReplicaWait) async throws
        -> AcknowledgedReply {
        try await run { try await $0.evaluate(script, keys: keys, arguments: arguments, waitingFor: wait) }
    }

    /// A subscription on the primary in use; after its connection drops it subscribes again on
    /// whichever primary the client uses then.
    public func subscribe(to channels: [String]) -> RedisSubscription {
        RedisSubscription(channels: channels, timing: configuration, eventLoop: MultiThreadedEventLoopGroup.singleton.next()) {
            [weak self] _ in
            guard let self else { return nil }
            return try? await self.primaryClient(until: ContinuousClock.now + self.configuration.connectTimeout).configuration
        }
    }

    public func isReachable() async -> Bool {
        guard let client = state.withLock({ $0.primary?.client }) else { return false }
        return await client.isReachable()
    }

    public func waitUntilReady(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        let client = try await primaryClient(until: deadline)
        try await client.waitUntilConnected(timeout: max(.zero, deadline - ContinuousClock.now))
    }

    public func shutdown() async {
        let (primary, resolving, watch) = state.withLock { state in
            state.isShutDown = true
            defer { state.primary = nil; state.resolving = nil; state.watch = nil }
            return (state.primary?.client, state.resolving, state.watch)
        }
        resolving?.cancel()
        watch?.subscription.cancel()
        watch?.task.cancel()
        await resolving?.value
        await watch?.task.value
        await primary?.shutdown()
    }

    // MARK: Commands

    private func run<T: Sendable>(_ operation: (RedisClient) async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + configuration.commandTimeout
        var backoff = Duration.milliseconds(5)
        while true {
            let client = try await primaryClient(until: deadline)
            do {
                return try await operation(client)
            } catch let error as RedisError where Self.notExecuted(error) {
                startResolving()
                guard ContinuousClock.now + backoff < deadline else { throw error }
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .milliseconds(100))
            }
        }
    }

    /// Errors after which the command certainly did not run, and the primary may have moved.
    private static func notExecuted(_ error: RedisError) -> Bool {
        switch error.code {
        case .notConnected, .connectFailed: return true
        case .server: return ["READONLY", "LOADING", "MASTERDOWN"].contains(error.serverErrorPrefix ?? "")
        default: return false
        }
    }

    /// The pool of the primary in use, waiting for the first one to be confirmed until `deadline`.
    private func primaryClient(until deadline: ContinuousClock.Instant) async throws -> RedisClient {
        while true {
            let (client, isShutDown) = state.withLock { ($0.primary?.client, $0.isShutDown) }
            if isShutDown { throw RedisError(.shutdown, "the Sentinel client was shut down") }
            if let client { return client }
            startResolving()
            guard ContinuousClock.now < deadline else {
                throw RedisError(.notConnected, "no sentinel named a reachable primary '\(masterName)' yet")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    // MARK: Finding the primary

    /// Starts asking the sentinels unless that is under way (then it asks once more when done).
    private func startResolving() {
        state.withLock { current in
            guard !current.isShutDown else { return }
            guard current.resolving == nil else {
                current.resolveAgain = true
                return
            }
            current.resolving = Task { [self] in
                while true {
                    await resolve()
                    let again = state.withLock { state in
                        defer { state.resolveAgain = false }
                        if !state.resolveAgain || state.isShutDown || Task.isCancelled { state.resolving = nil }
                        return state.resolving != nil
                    }
                    if !again { return }
                }
            }
        }
    }

    /// Asks until a primary is confirmed (or the client is shut down), then moves to it.
    private func resolve() async {
        var backoff = Backoff(initial: configuration.initialReconnectDelay, maximum: configuration.maximumReconnectDelay)
        while !Task.isCancelled {
            if let node = await confirmedPrimary() {
                await moveTo(node)
                return
            }
            try? await Task.sleep(for: backoff.next())
        }
    }

    /// The first address a sentinel gives whose server says `ROLE` master.
    private func confirmedPrimary() async -> ClusterNode? {
        var checked = Set<ClusterNode>()
        for sentinel in sentinels {
            guard let node = try? await ask(sentinel), checked.insert(node).inserted else { continue }
            if (try? await isPrimary(node)) == true { return node }
        }
        return nil
    }

    private func ask(_ sentinel: ClusterNode) async throws -> ClusterNode? {
        let connection = try await RedisConnection.connect(sentinelConfiguration(sentinel),
                                                           on: MultiThreadedEventLoopGroup.singleton.next())
        defer { connection.close() }
        return SentinelReplies.primaryAddress(try await connection.send(RedisCommand("SENTINEL", "get-master-addr-by-name", masterName)))
    }

    private func isPrimary(_ node: ClusterNode) async throws -> Bool {
        let connection = try await RedisConnection.connect(configuration(of: node), on: MultiThreadedEventLoopGroup.singleton.next())
        defer { connection.close() }
        return SentinelReplies.isPrimary(roleReply: try await connection.send(RedisCommand("ROLE")))
    }

    /// Makes `node` the primary in use (a new pool unless it already is), closing the old pool.
    private func moveTo(_ node: ClusterNode) async {
        let (replaced, fresh) = state.withLock { state -> (RedisClient?, RedisClient?) in
            guard !state.isShutDown, state.primary?.node != node else { return (nil, nil) }
            let client = RedisClient(configuration: configuration(of: node))
            defer { state.primary = (node, client) }
            return (state.primary?.client, client)
        }
        guard fresh != nil else { return }
        if let replaced {
            changes.wrappingAdd(1, ordering: .relaxed)
            await replaced.shutdown()
        }
    }

    /// Follows `+switch-master` on the sentinels (another sentinel when one goes away); asks
    /// again on every switch of this primary and after a resubscription (messages may be lost).
    private func watchSwitches() {
        let sentinels = self.sentinels
        let subscription = RedisSubscription(channels: ["+switch-master"], timing: configuration,
                                             eventLoop: MultiThreadedEventLoopGroup.singleton.next()) { [weak self] attempt in
            self?.sentinelConfiguration(sentinels[attempt % sentinels.count])
        }
        let masterName = self.masterName
        let task = Task { [weak self] in
            for await event in subscription {
                switch event {
                case .subscribed(let again):
                    if again { self?.startResolving() }
                case .message(_, let payload):
                    if SentinelReplies.switchedPrimary(payload, masterName: masterName) != nil { self?.startResolving() }
                }
            }
        }
        state.withLock { $0.watch = (subscription, task) }
    }

    // MARK: Configurations

    private func configuration(of node: ClusterNode) -> RedisConfiguration {
        var primary = configuration
        primary.endpoint = .tcp(host: node.host, port: node.port)
        return primary
    }

    private func sentinelConfiguration(_ sentinel: ClusterNode) -> RedisConfiguration {
        var sentinelConfiguration = RedisConfiguration(endpoint: .tcp(host: sentinel.host, port: sentinel.port),
                                                       password: sentinelPassword)
        sentinelConfiguration.connectTimeout = configuration.connectTimeout
        sentinelConfiguration.commandTimeout = configuration.commandTimeout
        sentinelConfiguration.subscriberHealthCheckInterval = configuration.subscriberHealthCheckInterval
        return sentinelConfiguration
    }
}
