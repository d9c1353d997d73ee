import Synchronization

/// A Lua script run with EVALSHA. The SHA-1 is learned from the server by SCRIPT LOAD on first
/// use and the script is loaded again whenever a server answers NOSCRIPT (after a restart or
/// SCRIPT FLUSH), so callers never see that error.
///
/// ```swift
/// let increment = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
/// let value = try await client.evaluate(increment, keys: ["counter"], arguments: ["2"])
/// ```
public final class RedisScript: Sendable {
    /// The Lua source.
    public let source: String
    private let cachedSHA = Mutex<String?>(nil)

    /// Creates a script from its Lua source.
    public init(_ source: String) {
        self.source = source
    }

    /// The script's SHA-1 as the server reported it, once loaded.
    public var sha: String? { cachedSHA.withLock { $0 } }

    func remember(sha: String) { cachedSHA.withLock { $0 = sha } }
}

extension RedisClient {
    /// Runs `script` with EVALSHA, loading it first if the server does not know it.
    public func evaluate(_ script: RedisScript, keys: [String], arguments: [String] = []) async throws -> RedisValue {
        try await evaluate(script) { sha in Self.evalsha(sha, keys, arguments) }
    }

    /// Runs `script` with EVALSHA and binary arguments.
    public func evaluate(_ script: RedisScript, keys: [String], binaryArguments: [[UInt8]]) async throws -> RedisValue {
        try await evaluate(script) { sha in
            var command = RedisCommand("EVALSHA", sha, String(keys.count))
            for key in keys { command.append(key) }
            for argument in binaryArguments { command.append(bytes: argument) }
            return command
        }
    }

    /// Loads `script` into the server's script cache and remembers its SHA-1.
    @discardableResult
    public func load(_ script: RedisScript) async throws -> String {
        let reply = try await send(RedisCommand("SCRIPT", "LOAD", script.source))
        guard let sha = reply.string else {
            throw RedisError(.unexpectedReply, "SCRIPT LOAD answered \(reply)")
        }
        script.remember(sha: sha)
        return sha
    }

    /// Runs `script` with `wait` pipelined behind it on one connection (`ASKING` first when
    /// `asking`, for a Redis Cluster ASK redirection).
    func evaluate(_ script: RedisScript, keys: [String], arguments: [String], waitingFor wait: ReplicaWait,
                  asking: Bool) async throws -> AcknowledgedReply {
        let sha: String
        if let known = script.sha { sha = known } else { sha = try await load(script) }
        do {
            return try await send(Self.evalsha(sha, keys, arguments), asking: asking, waitingFor: wait)
        } catch let error as RedisError where error.serverErrorPrefix == "NOSCRIPT" {
            return try await send(Self.evalsha(try await load(script), keys, arguments), asking: asking, waitingFor: wait)
        }
    }

    private static func evalsha(_ sha: String, _ keys: [String], _ arguments: [String]) -> RedisCommand {
        let bytes = keys.reduce(0) { $0 + $1.utf8.count } + arguments.reduce(0) { $0 + $1.utf8.count }
        var command = RedisCommand("EVALSHA", reservingBytes: 7 + sha.utf8.count + 2 + bytes, arguments: 2 + keys.count + arguments.count)
        command.append(sha)
        command.append(String(keys.count))
        for key in keys { command.append(key) }
        for argument in arguments { command.append(argument) }
        return command
    }

    private func evaluate(_ script: RedisScript, command: (String) -> RedisCommand) async throws -> RedisValue {
        let sha: String
        if let known = script.sha { sha = known } else { sha = try await load(script) }
        do {
            return try await send(command(sha))
        } catch let error as RedisError where error.serverErrorPrefix == "NOSCRIPT" {
            return try await send(command(try await load(script)))
        }
    }
}
