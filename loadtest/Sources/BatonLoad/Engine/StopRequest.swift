import Synchronization

/// Ends a run early when asked (the CLI asks on SIGINT or SIGTERM): the run stops sending as
/// at its deadline, drains, removes its clients and reports what it measured.
public final class StopRequest: Sendable {
    private let requested = Mutex(false)

    /// A request not made yet.
    public init() {}

    /// Asks the run to stop.
    public func request() {
        requested.withLock { $0 = true }
    }

    /// Whether a stop has been asked for.
    public var isRequested: Bool { requested.withLock { $0 } }
}
