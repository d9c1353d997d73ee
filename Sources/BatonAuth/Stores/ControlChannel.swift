import BatonCore

/// How workers hear of keyset and client changes: a broadcast that may lose messages, and a
/// version counter to poll.
public protocol ControlChannel: Sendable {
    /// The channel's events until the consumer stops iterating.
    func events() -> AsyncStream<ControlEvent>
    /// The version counter (0 before any change).
    func version() async throws -> Int64
}
