import NIOCore
import NIOPosix
import Synchronization

/// A Redis client: a small pool of pipelined connections shared by all callers, each re-established
/// with backoff when it drops. Commands fail fast with `.notConnected` while no connection is up,
/// and with `.timeout` when the server does not answer in time; they never hang.
///
/// ```swift
/// let client = RedisClient(configuration: try RedisConfiguration(url: "redis://127.0.0.1:6379"))
/// try await client.waitUntilConnected()
/// let pong = try await client.send("PING")
/// await client.shutdown()
/// ```
public final class RedisClient: Sendable {
    /// The configuration the client was created with.
    public let configuration: RedisConfiguration
    let eventLoopGroup: any EventLoopGroup
    private let slots: [ConnectionSlot]
    private let tasks: Mutex<[Task<Void, Never>]>
    private let nextSlot = Atomic<Int>(0)
    /// Until when (uptime ns) writes skip their `WAIT`: the server lacked the replicas to satisfy one.
    private let waitsPausedUntil = Atomic<UInt64>(0)
    /// Whether a caller is asking the server how many replicas it has (one at a time).
    private let countingReplicas = Atomic<Bool>(false)
    /// Whether the server last said it had fewer online replicas than a write asked to wait for.
    private let replicasMissing = Atomic<Bool>(false)

    /// Creates the client and starts connecting in the background.
    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        let slots = (0..<max(1, configuration.connectionCount)).map { _ in
            ConnectionSlot(configuration: configuration, eventLoop: eventLoopGroup.next())
        }
        self.slots = slots
        self.tasks = Mutex(slots.map { slot in Task { await slot.run() } })
    }

    /// Waits until at least one connection is up; throws the last connect error after `timeout`.
    public func waitUntilConnected(timeout: Duration = .seconds(5)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if slots.contains(where: { $0.connection != nil }) { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw unavailable()
    }

    /// How many connections of the pool are up right now.
    public var connectedCount: Int { slots.filter { $0.connection != nil }.count }

    /// Sends a command on the next connection that is up and returns its reply.
    /// A Redis error reply is thrown as `RedisError` with code `.server` and the server's message.
    public func send(_ command: RedisCommand) async throws -> RedisValue {
        try await connection().send(command)
    }

    /// Sends `ASKING` and then `command` on one connection (a Redis Cluster ASK redirection).
    func sendAsking(_ command: RedisCommand) async throws -> RedisValue {
        try await connection().send(command, asking: true)
    }

    /// Sends `command` with `wait` behind it on one connection (`ASKING` first when `asking`).
    ///
    /// A `WAIT` blocks its connection, and every command pipelined behind it, until it returns. So
    /// when one comes back short and the server has fewer online replicas than asked (as just after
    /// a failover), writes to this server go without `WAIT` and report 0 acknowledgements; once a
    /// second (`ReplicaWait.pauseAfterShortfall`) the server is asked again (`INFO replication`,
    /// which blocks nothing), and waits resume when its replicas are back. A shortfall from
    /// replicas that are online but slow pauses nothing: the next write waits for them again.
    func send(_ command: RedisCommand, asking: Bool, waitingFor wait: ReplicaWait) async throws -> AcknowledgedReply {
        guard await mayWait(for: wait) else {
            return AcknowledgedReply(value: try await connection().send(command, asking: asking), replicasAcknowledged: 0)
        }
        let (value, waitReply) = try await connection().send(command, asking: asking, followedBy: wait.command,
                                                             followerTimeout: wait.timeout)
        let reply = AcknowledgedReply(value: value, waitReply: waitReply)
        if reply.replicasAcknowledged < wait.replicas { _ = await checkReplicas(for: wait) }
        return reply
    }

    /// Whether a write may send `WAIT`: not while paused, and once a pause is over only after the
    /// server says its replicas are back.
    private func mayWait(for wait: ReplicaWait) async -> Bool {
        if NIODeadline.now().uptimeNanoseconds < waitsPausedUntil.load(ordering: .relaxed) { return false }
        guard replicasMissing.load(ordering: .relaxed) else { return true }
        return await checkReplicas(for: wait)
    }

    /// Asks the server (`INFO replication`) how many replicas are online: when fewer than `wait`
    /// asks for (or when it cannot tell) pauses its waits and returns false. One caller asks at a
    /// time; the others meanwhile write without waiting (false).
    private func checkReplicas(for wait: ReplicaWait) async -> Bool {
        guard countingReplicas.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return false }
        defer { countingReplicas.store(false, ordering: .releasing) }
        let info = try? await connection().send(RedisCommand("INFO", "replication")).string
        let enough = info.map(ReplicaWait.onlineReplicas(inReplicationInfo:)) ?? 0 >= wait.replicas
        replicasMissing.store(!enough, ordering: .relaxed)
        if !enough {
            waitsPausedUntil.store((NIODeadline.now() + TimeAmount(ReplicaWait.pauseAfterShortfall)).uptimeNanoseconds,
                                   ordering: .relaxed)
        }
        return enough
    }

    /// Sends a command given as text arguments, e.g. `send("SET", "key", "value")`.
    public func send(_ name: String, _ arguments: String...) async throws -> RedisValue {
        try await connection().send(RedisCommand(name, arguments))
    }

    /// Stops all connections; commands in flight fail with `.connectionClosed`.
    public func shutdown() async {
        for slot in slots { slot.shutDown() }
        let tasks = self.tasks.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in tasks {
            task.cancel()
            await task.value
        }
    }

    /// A connection that is up. A caller on one of the pool's event loops (a task running on it,
    /// see `TaskExecutor`) gets the first connection of that loop, so it sends and receives
    /// without waking another thread and its commands share one write per loop tick; others
    /// take the connections in turn.
    private func connection() throws -> RedisConnection {
        for slot in slots where slot.eventLoop.inEventLoop {
            if let connection = slot.connection { return connection }
        }
        let start = nextSlot.wrappingAdd(1, ordering: .relaxed).oldValue & Int.max
        for offset in 0..<slots.count {
            if let connection = slots[(start &+ offset) % slots.count].connection { return connection }
        }
        throw unavailable()
    }

    private func unavailable() -> RedisError {
        let reason = slots.lazy.compactMap(\.lastError).first.map { ": \($0.message)" } ?? ""
        return RedisError(.notConnected, "no connection to \(configuration.endpoint) is up\(reason)")
    }
}
