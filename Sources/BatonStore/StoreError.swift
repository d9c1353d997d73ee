import BatonRedis

/// Every error Baton's storage reports: the store could not be reached in time (retry later), or it
/// answered something the code does not expect (a bug or a foreign write). Never a token or secret.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// The kinds of failure a caller tells apart.
    public enum Code: String, Sendable, Equatable {
        /// Redis is away, slow, loading or failing over: the caller answers 503 and retries later.
        case unavailable
        /// A reply had another shape than the script or command promises.
        case unexpectedReply = "unexpected_reply"
        /// Redis refused the command for good (a server error that is not transient).
        case failed
    }

    /// What kind of failure this is.
    public var code: Code
    /// What was being done and what went wrong, for the log.
    public var message: String
    /// The Redis client's error, when there was one.
    public var underlying: RedisError?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: RedisError? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// The Redis client's failure in the store's terms.
    init(_ error: RedisError, during operation: String) {
        let code: Code = error.isTransient || error.code == .shutdown ? .unavailable
            : error.code == .unexpectedReply ? .unexpectedReply : .failed
        self.init(code, operation + ": " + error.description, underlying: error)
    }

    /// A reply of the wrong shape.
    static func unexpected(_ operation: String, _ reply: RedisValue) -> StoreError {
        StoreError(.unexpectedReply, "\(operation) answered \(reply)")
    }

    /// The Redis failure's kind for metrics (`timeout`, `not_connected`, …), or this error's code.
    public var kind: String { underlying?.code.rawValue ?? code.rawValue }

    public var description: String { "store \(code.rawValue): \(message)" }
}

extension RedisDeployment {
    /// Runs `body`, reporting a Redis failure as a `StoreError` of `operation`.
    func storeOperation<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as RedisError {
            throw StoreError(error, during: operation)
        }
    }

    /// Sends the command `name key arguments…` (routed by `key`), reporting a Redis failure as a `StoreError`.
    func storeSend(_ name: String, _ key: String, _ arguments: String...) async throws -> RedisValue {
        var command = RedisCommand(name, key)
        for argument in arguments { command.append(argument) }
        do {
            return try await send(command, key: key)
        } catch let error as RedisError {
            throw StoreError(error, during: name)
        }
    }

    /// `evaluate`, reporting a Redis failure as a `StoreError`.
    func storeEvaluate(_ script: RedisScript, keys: [String], arguments: [String] = []) async throws -> RedisValue {
        do {
            return try await evaluate(script, keys: keys, arguments: arguments)
        } catch let error as RedisError {
            throw StoreError(error, during: "EVALSHA")
        }
    }
}
