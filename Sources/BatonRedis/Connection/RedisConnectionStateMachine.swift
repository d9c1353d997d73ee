import NIOCore

/// The pure core of a pipelined connection: a FIFO of commands waiting for replies, each with a
/// deadline. Events go in, actions come out; only `RedisChannelHandler` performs them.
///
/// `Waiter` is whatever is resumed with the reply (a continuation in production, a number in tests).
struct RedisConnectionStateMachine<Waiter> {
    private enum State {
        case active
        case closed(RedisError)
    }

    private struct Pending {
        let waiter: Waiter
        let deadline: NIODeadline
    }

    private var state = State.active
    private var pending = CircularBuffer<Pending>(initialCapacity: 64)

    /// What the handler must do after a command was enqueued.
    enum EnqueueAction {
        /// Write the command; if `armTimer` is set, schedule the timeout check for that instant.
        case write(armTimer: NIODeadline?)
        /// The connection is closed: fail the waiter at once.
        case fail(Waiter, RedisError)
    }

    /// What the handler must do after a reply arrived.
    enum ReplyAction {
        /// Resume this waiter with the reply.
        case resume(Waiter, RedisValue)
        /// A reply nobody asked for: the stream is out of sync, so close with this error.
        case closeConnection(RedisError)
        /// The connection is already closed; ignore.
        case none
    }

    /// What the handler must do when the timeout check fires.
    enum TimeoutAction {
        /// The oldest command is overdue: fail every waiter and close the connection.
        case failAllAndClose([Waiter], RedisError)
        /// Check again at this instant.
        case rearm(NIODeadline)
        /// Nothing is pending.
        case none
    }

    /// The number of commands waiting for a reply.
    var inFlight: Int { pending.count }

    /// A command is about to be written.
    mutating func enqueue(_ waiter: Waiter, deadline: NIODeadline) -> EnqueueAction {
        switch state {
        case .closed(let error):
            return .fail(waiter, error)
        case .active:
            pending.append(Pending(waiter: waiter, deadline: deadline))
            return .write(armTimer: pending.count == 1 ? deadline : nil)
        }
    }

    /// A complete reply was decoded.
    mutating func received(_ value: RedisValue) -> ReplyAction {
        guard case .active = state else { return .none }
        guard let head = pending.popFirst() else {
            return .closeConnection(RedisError(.protocolViolation, "reply received with no command in flight"))
        }
        return .resume(head.waiter, value)
    }

    /// The timeout check fired at `now`.
    mutating func timeoutFired(now: NIODeadline, timeout: Duration) -> TimeoutAction {
        guard case .active = state, let head = pending.first else { return .none }
        guard head.deadline <= now else { return .rearm(head.deadline) }
        let error = RedisError(.timeout, "no reply within \(timeout); the connection is closed and will be re-established")
        state = .closed(error)
        return .failAllAndClose(drain(), error)
    }

    /// The connection closed (or failed): every waiter fails with `error`, later commands too.
    mutating func closed(_ error: RedisError) -> [Waiter] {
        if case .closed = state { return drain() }
        state = .closed(error)
        return drain()
    }

    private mutating func drain() -> [Waiter] {
        let waiters = pending.map(\.waiter)
        pending.removeAll()
        return waiters
    }
}
