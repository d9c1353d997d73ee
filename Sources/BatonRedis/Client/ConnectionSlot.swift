import NIOCore
import Synchronization

/// One place in the client's pool: keeps one connection up, re-establishing it with backoff
/// whenever it closes, until shut down.
final class ConnectionSlot: Sendable {
    private struct State {
        var connection: RedisConnection?
        var lastError: RedisError?
        var isShutDown = false
    }

    private let configuration: RedisConfiguration
    /// The loop the slot's connections run on.
    let eventLoop: any EventLoop
    private let state = Mutex(State())

    init(configuration: RedisConfiguration, eventLoop: any EventLoop) {
        self.configuration = configuration
        self.eventLoop = eventLoop
    }

    /// The connection, if one is up right now.
    var connection: RedisConnection? { state.withLock { $0.connection } }

    /// Why the last attempt to connect failed, if it did.
    var lastError: RedisError? { state.withLock { $0.lastError } }

    /// Connects, waits for the connection to close, and starts over, until `shutDown()`.
    func run() async {
        var backoff = Backoff(initial: configuration.initialReconnectDelay, maximum: configuration.maximumReconnectDelay)
        while !Task.isCancelled {
            do {
                let connection = try await RedisConnection.connect(configuration, on: eventLoop)
                let accepted = state.withLock { state in
                    guard !state.isShutDown else { return false }
                    state.connection = connection
                    state.lastError = nil
                    return true
                }
                guard accepted else { connection.close(); return }
                backoff.reset()
                try? await connection.closeFuture.get()
                state.withLock { $0.connection = nil }
            } catch {
                let error = error as? RedisError ?? RedisError(.connectFailed, "\(error)")
                state.withLock { $0.lastError = error }
            }
            if state.withLock({ $0.isShutDown }) { return }
            try? await Task.sleep(for: backoff.next())
        }
    }

    /// Stops reconnecting and closes the connection.
    func shutDown() {
        let connection = state.withLock { state in
            state.isShutDown = true
            defer { state.connection = nil }
            return state.connection
        }
        connection?.close()
    }
}
