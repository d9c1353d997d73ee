import NIOCore
import NIOPosix

/// One established connection to Redis: TCP or unix socket, authenticated and on its database.
/// Commands are pipelined; replies are matched to callers in order. It does not reconnect:
/// `RedisClient` and `RedisSubscription` replace a closed connection.
final class RedisConnection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<RedisChannelHandler>
    private let commandTimeout: Duration

    private init(channel: any Channel, handler: NIOLoopBound<RedisChannelHandler>, commandTimeout: Duration) {
        self.channel = channel
        self.handler = handler
        self.commandTimeout = commandTimeout
    }

    /// Connects, then sends AUTH and SELECT as configured. Fails with `.connectFailed`.
    static func connect(
        _ configuration: RedisConfiguration,
        on eventLoop: any EventLoop
    ) async throws -> RedisConnection {
        let timeout = configuration.commandTimeout
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RedisChannelHandler(commandTimeout: timeout))
                }
            }
        let channel: any Channel
        do {
            switch configuration.endpoint {
            case .tcp(let host, let port):
                channel = try await bootstrap
                    .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                    .connect(host: host, port: port).get()
            case .unix(let path):
                channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
            }
        } catch {
            throw RedisError(.connectFailed, "cannot connect to \(configuration.endpoint): \(error)")
        }
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: RedisChannelHandler.self), eventLoop: channel.eventLoop)
        }.get()
        let connection = RedisConnection(channel: channel, handler: handler, commandTimeout: timeout)
        do {
            try await connection.handshake(configuration)
        } catch {
            connection.close()
            if let error = error as? RedisError, error.code == .server {
                throw RedisError(.connectFailed, "\(configuration.endpoint) refused the handshake: \(error.message)")
            }
            throw RedisError(.connectFailed, "handshake with \(configuration.endpoint) failed: \(error)")
        }
        return connection
    }

    private func handshake(_ configuration: RedisConfiguration) async throws {
        if let password = configuration.password {
            var auth = RedisCommand("AUTH")
            if let username = configuration.username { auth.append(username) }
            auth.append(password)
            _ = try await send(auth, timeout: configuration.connectTimeout)
        }
        if configuration.database != 0 {
            _ = try await send(RedisCommand("SELECT", String(configuration.database)), timeout: configuration.connectTimeout)
        }
    }

    /// Sends a command and waits for its reply; an error reply is thrown as `.server`. With
    /// `asking`, an `ASKING` goes right before it on this connection (a Redis Cluster ASK
    /// redirection) and its reply is dropped.
    func send(_ command: RedisCommand, timeout: Duration? = nil, asking: Bool = false) async throws -> RedisValue {
        let handler = self.handler
        let eventLoop = channel.eventLoop
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<RedisValue, any Error>) in
            let enqueue: @Sendable () -> Void = {
                if asking { handler.value.send(RedisCommand("ASKING"), timeout: timeout, waiter: .ignored) }
                handler.value.send(command, timeout: timeout, waiter: .caller(continuation))
            }
            if eventLoop.inEventLoop { enqueue() } else { eventLoop.execute(enqueue) }
        }
        if case .error(let message) = value { throw RedisError(.server, message) }
        return value
    }

    /// Sends `command` and `follower` back to back on this connection (one write, one round trip),
    /// `ASKING` first when `asking`, and returns both replies; an error reply to `command` is
    /// thrown as `.server`, one to `follower` is returned as `.error`. `followerTimeout` adds to the
    /// command timeout for the follower's reply (a `WAIT` may take that long by design).
    func send(_ command: RedisCommand, asking: Bool = false, followedBy follower: RedisCommand,
              followerTimeout: Duration) async throws
        -> (RedisValue, RedisValue) {
        let handler = self.handler
        let eventLoop = channel.eventLoop
        let waitLimit = commandTimeout + followerTimeout
        let second = eventLoop.makePromise(of: RedisValue.self)
        let first: RedisValue
        do {
            first = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<RedisValue, any Error>) in
                let enqueue: @Sendable () -> Void = {
                    if asking { handler.value.send(RedisCommand("ASKING"), waiter: .ignored) }
                    handler.value.send(command, waiter: .caller(continuation))
                    handler.value.send(follower, timeout: waitLimit, waiter: .promise(second))
                }
                if eventLoop.inEventLoop { enqueue() } else { eventLoop.execute(enqueue) }
            }
        } catch {
            _ = try? await second.futureResult.get()
            throw error
        }
        let followerValue = try await second.futureResult.get()
        if case .error(let message) = first { throw RedisError(.server, message) }
        return (first, followerValue)
    }

    /// Switches to subscriber mode: replies go to `onPush`; PING checks the server every `interval`.
    func enterSubscriberMode(healthCheckEvery interval: Duration, onPush: @escaping @Sendable (RedisValue) -> Void) {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.enterSubscriberMode(healthCheckEvery: interval, handler: onPush) }
    }

    /// Writes a command whose replies arrive as pushes.
    func sendWithoutReply(_ command: RedisCommand) {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.sendWithoutReply(command) }
    }

    /// Completes when the connection has closed, for whatever reason.
    var closeFuture: EventLoopFuture<Void> { channel.closeFuture }

    /// Closes the connection; commands in flight fail with `.connectionClosed`.
    func close() {
        channel.close(promise: nil)
    }
}
