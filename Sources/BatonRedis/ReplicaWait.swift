import NIOCore

/// A `WAIT numreplicas timeout` sent behind a write: the reply comes once `replicas` replicas
/// acknowledged everything the connection wrote, or after `timeout` with fewer. It narrows what a
/// failover can lose; it is not consensus (a primary that dies before its replicas caught up still
/// loses the write, and Redis 7.0 has no `WAITAOF` for the disk).
public struct ReplicaWait: Sendable, Equatable {
    /// How many replicas must acknowledge.
    public var replicas: Int
    /// The longest wait.
    public var timeout: Duration

    /// A wait for `replicas` replicas, at most `timeout`.
    public init(replicas: Int, timeout: Duration) {
        self.replicas = replicas
        self.timeout = timeout
    }

    /// How long a server's writes skip `WAIT` after one came back short for want of online
    /// replicas (`RedisClient`).
    public static let pauseAfterShortfall = Duration.seconds(1)

    /// The replicas a primary's `INFO replication` lists as `state=online` (connected and past
    /// their initial sync: the ones a `WAIT` can count).
    static func onlineReplicas(inReplicationInfo info: String) -> Int {
        info.split(whereSeparator: \.isNewline).filter { line in
            line.hasPrefix("slave") && line.contains(":") && line.split(separator: ",").contains("state=online")
        }.count
    }

    var command: RedisCommand {
        // WAIT 0 ms would wait for ever: at least 1.
        RedisCommand("WAIT", String(replicas), String(max(1, TimeAmount(timeout).nanoseconds / 1_000_000)))
    }
}

/// A write's reply and how many replicas had acknowledged it when it was answered.
public struct AcknowledgedReply: Sendable, Equatable {
    /// The write's own reply.
    public var value: RedisValue
    /// What `WAIT` reported (0 when it failed).
    public var replicasAcknowledged: Int

    /// A reply with its acknowledgement count.
    public init(value: RedisValue, replicasAcknowledged: Int) {
        self.value = value
        self.replicasAcknowledged = replicasAcknowledged
    }

    init(value: RedisValue, waitReply: RedisValue) {
        self.init(value: value, replicasAcknowledged: waitReply.int.map(Int.init) ?? 0)
    }
}
