import NIOCore

/// The channel handler of one Redis connection: encodes commands, coalesces their writes into one
/// flush per event-loop tick, decodes replies and hands each to the oldest waiter.
/// In subscriber mode every reply is a push and goes to the push handler instead.
final class RedisChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    /// Who gets a reply: a caller, a promise (the second command of a pipelined pair, such as the
    /// `WAIT` behind a script), or nobody (the reply to an `ASKING` sent ahead of a command).
    enum Waiter {
        case caller(CheckedContinuation<RedisValue, any Error>)
        case promise(EventLoopPromise<RedisValue>)
        case ignored

        func resume(returning value: RedisValue) {
            switch self {
            case .caller(let continuation): continuation.resume(returning: value)
            case .promise(let promise): promise.succeed(value)
            case .ignored: break
            }
        }

        func resume(throwing error: any Error) {
            switch self {
            case .caller(let continuation): continuation.resume(throwing: error)
            case .promise(let promise): promise.fail(error)
            case .ignored: break
            }
        }
    }

    private var stateMachine = RedisConnectionStateMachine<Waiter>()
    private let decoder = RESPDecoder()
    private let commandTimeout: Duration
    private var context: ChannelHandlerContext?
    private var output = ByteBuffer()
    private var flushScheduled = false
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var pushHandler: ((RedisValue) -> Void)?
    private var awaitingPong = false
    private var healthCheck: Scheduled<Void>?
    private var healthCheckInterval = TimeAmount.seconds(2)

    init(commandTimeout: Duration) {
        self.commandTimeout = commandTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        output = context.channel.allocator.buffer(capacity: 16 * 1024)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        shutDown(RedisError(.connectionClosed, "the connection closed"))
        self.context = nil
    }

    // MARK: Commands (called on the event loop)

    /// Queues a command; `waiter` is resumed with its reply or an error.
    func send(_ command: RedisCommand, timeout: Duration? = nil, waiter: Waiter) {
        let deadline = NIODeadline.now() + TimeAmount(timeout ?? commandTimeout)
        switch stateMachine.enqueue(waiter, deadline: deadline) {
        case .fail(let waiter, let error):
            waiter.resume(throwing: error)
        case .write(let armTimer):
            write(command)
            if let armTimer { arm(at: armTimer) }
        }
    }

    /// Writes a command whose replies arrive as pushes (subscriber mode).
    func sendWithoutReply(_ command: RedisCommand) {
        write(command)
    }

    /// From now on every reply goes to `handler`; the connection is checked with PING every `interval`.
    func enterSubscriberMode(healthCheckEvery interval: Duration, handler: @escaping (RedisValue) -> Void) {
        pushHandler = handler
        healthCheckInterval = TimeAmount(interval)
        scheduleHealthCheck()
    }

    /// Closes the connection.
    func close() {
        context?.close(promise: nil)
    }

    private func write(_ command: RedisCommand) {
        RESPEncoder.encode(command, into: &output)
        guard !flushScheduled, let context else { return }
        flushScheduled = true
        // Everything enqueued before this task runs goes out in one write.
        context.eventLoop.assumeIsolated().execute { self.flushOutput() }
    }

    private func flushOutput() {
        flushScheduled = false
        guard let context, output.readableBytes > 0 else { return }
        let bytes = output
        output = context.channel.allocator.buffer(capacity: max(16 * 1024, bytes.readableBytes))
        context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
    }

    private func scheduleHealthCheck() {
        guard let context else { return }
        healthCheck = context.eventLoop.assumeIsolated().scheduleTask(in: healthCheckInterval) { self.checkHealth() }
    }

    private func checkHealth() {
        if awaitingPong {
            shutDown(RedisError(.timeout, "the server did not answer PING on the subscriber connection"))
            return
        }
        awaitingPong = true
        write(RedisCommand("PING"))
        scheduleHealthCheck()
    }

    // MARK: Timeouts

    private func arm(at deadline: NIODeadline) {
        guard let context, timerDeadline == nil || deadline < timerDeadline! else { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { self.timerFired() }
    }

    private func timerFired() {
        timer = nil
        timerDeadline = nil
        switch stateMachine.timeoutFired(now: .now(), timeout: commandTimeout) {
        case .none:
            break
        case .rearm(let deadline):
            arm(at: deadline)
        case .failAllAndClose(let waiters, let error):
            for waiter in waiters { waiter.resume(throwing: error) }
            context?.close(promise: nil)
        }
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        do {
            try decoder.feed(bytes)
            while let value = try decoder.next() {
                if let pushHandler {
                    if isPong(value) { awaitingPong = false } else { pushHandler(value) }
                    continue
                }
                switch stateMachine.received(value) {
                case .resume(let waiter, let value):
                    waiter.resume(returning: value)
                case .closeConnection(let error):
                    shutDown(error)
                    return
                case .none:
                    return
                }
            }
        } catch {
            shutDown(error as? RedisError ?? RedisError(.protocolViolation, "\(error)"))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        shutDown(RedisError(.connectionClosed, "the connection closed with the command in flight"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        shutDown(RedisError(.connectionClosed, "connection error: \(error)"))
    }

    private func isPong(_ value: RedisValue) -> Bool {
        guard case .array(let parts) = value, let kind = parts.first?.bytes else { return false }
        return kind == Array("pong".utf8)
    }

    private func shutDown(_ error: RedisError) {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
        healthCheck?.cancel()
        healthCheck = nil
        for waiter in stateMachine.closed(error) { waiter.resume(throwing: error) }
        context?.close(promise: nil)
    }
}
