import NIOCore
import Synchronization

/// What one worker allows a client connection: how long it may sit idle between requests, how
/// long a request's head and body may take to arrive, and how many connections may be open at
/// once. Slow, idle and vanished clients hold no more than this.
struct ConnectionLimits: Sendable {
    /// A keep-alive connection with no request under way is closed after this.
    var keepAliveTimeout: TimeAmount
    /// A request's head must arrive whole within this of its first byte (else 408, closed).
    var headerTimeout: TimeAmount
    /// A request's body must arrive whole within this of its head's end (else 408, closed).
    var bodyTimeout: TimeAmount
    /// Connections open at once; one more is answered 503 and closed.
    var maxConnections: Int

    /// The timeout of a phase, nil while the server, not the client, has the next move.
    func timeout(for phase: ConnectionPhase) -> TimeAmount? {
        switch phase {
        case .idle: return keepAliveTimeout
        case .readingHead: return headerTimeout
        case .readingBody: return bodyTimeout
        case .serving: return nil
        }
    }

    /// How often a connection the server is busy with is looked at again.
    var recheckInterval: TimeAmount { min(keepAliveTimeout, headerTimeout, bodyTimeout) }
}

/// Where a connection is, for its deadline.
enum ConnectionPhase: String, Sendable {
    /// Between requests (keep-alive).
    case idle
    /// Part of a request's head has arrived.
    case readingHead = "head"
    /// A request's head has arrived, not all of its body.
    case readingBody = "body"
    /// The server is answering; the client waits.
    case serving
}

/// The connections one worker has open, shared by all of them.
final class ConnectionGauge: Sendable {
    private let open = Atomic<Int>(0)

    /// Counts a connection in; false (and not counted) if `limit` are open already.
    func admit(limit: Int) -> Bool {
        let count = open.wrappingAdd(1, ordering: .relaxed).newValue
        guard count <= limit else {
            open.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    /// Counts a connection out.
    func release() {
        open.wrappingSubtract(1, ordering: .relaxed)
    }
}
