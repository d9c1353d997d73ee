import NIOCore
import Synchronization

/// What a subscription reports.
public enum RedisSubscriptionEvent: Sendable, Equatable {
    /// The server confirmed every channel. `resubscription` is true after a reconnect: messages
    /// published while the connection was down are lost, so the caller should reload its state.
    case subscribed(resubscription: Bool)
    /// A message published on `channel`.
    case message(channel: String, payload: [UInt8])
}

/// A subscription to Redis pub/sub channels on its own connection, as an `AsyncSequence` of
/// events. When the connection drops (or stops answering PING) it reconnects with backoff, to the
/// node its deployment names then (on a cluster or behind Sentinel, possibly another one), and
/// subscribes again, then reports `.subscribed(resubscription: true)`.
///
/// ```swift
/// let subscription = client.subscribe(to: ["bt:control"])
/// for await event in subscription {
///     switch event {
///     case .subscribed: reload()
///     case .message(_, let payload): apply(payload)
///     }
/// }
/// ```
public final class RedisSubscription: AsyncSequence, Sendable {
    public typealias Element = RedisSubscriptionEvent

    /// The subscribed channels.
    public let channels: [String]
    private let stream: AsyncStream<RedisSubscriptionEvent>
    private let continuation: AsyncStream<RedisSubscriptionEvent>.Continuation
    private let current = Mutex<(connection: RedisConnection?, cancelled: Bool)>((nil, false))
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// A subscription whose every connect (first or again) goes where `endpoint` says for that
    /// attempt (counted from 0; nil: none known now, back off); `timing` gives the reconnect delays
    /// and health-check interval.
    init(channels: [String], timing: RedisConfiguration, eventLoop: any EventLoop,
         endpoint: @escaping @Sendable (_ attempt: Int) async -> RedisConfiguration?) {
        self.channels = channels
        (stream, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        let loop = Task { [self] in await self.run(timing: timing, eventLoop: eventLoop, endpoint: endpoint) }
        task.withLock { $0 = loop }
        continuation.onTermination = { [weak self] _ in self?.cancel() }
    }

    public func makeAsyncIterator() -> AsyncStream<RedisSubscriptionEvent>.Iterator {
        stream.makeAsyncIterator()
    }

    /// Closes the subscription's connection and ends the sequence.
    public func cancel() {
        let connection = current.withLock { state in
            state.cancelled = true
            defer { state.connection = nil }
            return state.connection
        }
        connection?.close()
        task.withLock { $0?.cancel() }
        continuation.finish()
    }

    private func run(timing: RedisConfiguration, eventLoop: any EventLoop,
                     endpoint: @Sendable (_ attempt: Int) async -> RedisConfiguration?) async {
        var backoff = Backoff(initial: timing.initialReconnectDelay, maximum: timing.maximumReconnectDelay)
        let subscribedBefore = Atomic<Bool>(false)
        var attempt = 0
        while !Task.isCancelled {
            defer { attempt += 1 }
            do {
                guard let configuration = await endpoint(attempt) else {
                    throw RedisError(.notConnected, "no node to subscribe on")
                }
                let connection = try await RedisConnection.connect(configuration, on: eventLoop)
                let accepted = current.withLock { state in
                    guard !state.cancelled else { return false }
                    state.connection = connection
                    return true
                }
                guard accepted else { connection.close(); return }
                let confirmations = PushParser(channels: channels)
                connection.enterSubscriberMode(healthCheckEvery: timing.subscriberHealthCheckInterval) {
                    [continuation] value in
                    switch confirmations.parse(value) {
                    case .allSubscribed:
                        let again = subscribedBefore.exchange(true, ordering: .relaxed)
                        continuation.yield(.subscribed(resubscription: again))
                    case .message(let channel, let payload):
                        continuation.yield(.message(channel: channel, payload: payload))
                    case .none:
                        break
                    }
                }
                connection.sendWithoutReply(RedisCommand("SUBSCRIBE", channels))
                backoff.reset()
                try? await connection.closeFuture.get()
                current.withLock { $0.connection = nil }
            } catch {
                // Connect failed: try again after the backoff.
            }
            if current.withLock({ $0.cancelled }) { return }
            try? await Task.sleep(for: backoff.next())
        }
    }
}

extension RedisClient {
    /// Subscribes to `channels` on a dedicated connection with the client's configuration.
    public func subscribe(to channels: [String]) -> RedisSubscription {
        let configuration = self.configuration
        return RedisSubscription(channels: channels, timing: configuration, eventLoop: eventLoopGroup.next()) { _ in configuration }
    }
}

/// Reads the pushes of one subscriber connection: subscribe confirmations and messages.
private final class PushParser: Sendable {
    enum Push {
        case allSubscribed
        case message(channel: String, payload: [UInt8])
        case none
    }

    private let expected: Set<String>
    private let confirmed = Mutex<Set<String>>([])

    init(channels: [String]) {
        expected = Set(channels)
    }

    func parse(_ value: RedisValue) -> Push {
        guard case .array(let parts) = value, parts.count == 3,
              let kind = parts[0].string, let channel = parts[1].string
        else { return .none }
        switch kind {
        case "message":
            return .message(channel: channel, payload: parts[2].bytes ?? [])
        case "subscribe":
            let complete = confirmed.withLock { confirmed in
                let before = confirmed.count
                confirmed.insert(channel)
                return confirmed.count == expected.count && before < expected.count
            }
            return complete ? .allSubscribed : .none
        default:
            return .none
        }
    }
}
