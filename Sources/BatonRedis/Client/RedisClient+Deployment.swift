/// One server is the simplest deployment: the key of a command does not change where it goes.
extension RedisClient: RedisDeployment {
    public func send(_ command: RedisCommand, key: String) async throws -> RedisValue {
        try await send(command)
    }

    public func evaluate(_ script: RedisScript, keys: [String], arguments: [String], waitingFor wait: ReplicaWait) async throws
        -> AcknowledgedReply {
        try await evaluate(script, keys: keys, arguments: arguments, waitingFor: wait, asking: false)
    }

    public func isReachable() async -> Bool {
        (try? await send("PING")) == .status("PONG")
    }

    public func waitUntilReady(timeout: Duration) async throws {
        try await waitUntilConnected(timeout: timeout)
    }

    /// One server routes nothing: always zero.
    public var routing: RedisRoutingCounts { RedisRoutingCounts() }
}
