import BatonCore
import BatonRedis

/// The control channel on Redis: `bt:control` announcements as `ControlEvent`s, and the version
/// counter workers poll because pub/sub delivery is at-most-once.
public struct RedisControlChannel: Sendable {
    private let redis: any RedisDeployment

    /// Creates the channel on a Redis client.
    public init(redis: any RedisDeployment) {
        self.redis = redis
    }

    /// The channel's events, from a subscription that resubscribes by itself; ends when cancelled.
    public func events() -> AsyncStream<ControlEvent> {
        let subscription = redis.subscribe(to: [KeySchema.controlChannel])
        return AsyncStream { continuation in
            let forwarding = Task {
                for await event in subscription {
                    switch event {
                    case .subscribed(let again):
                        continuation.yield(.subscribed(again: again))
                    case .message(_, let payload):
                        continuation.yield(Self.event(payload))
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in
                subscription.cancel()
                forwarding.cancel()
            }
        }
    }

    /// The version counter of the keyset and clients (0 before any change).
    public func version() async throws -> Int64 {
        try await redis.storeSend("GET", KeySchema.version).int ?? 0
    }

    /// A message's meaning: `client <id>` names a client; anything else (`keys <version>`) the keyset.
    static func event(_ payload: [UInt8]) -> ControlEvent {
        let text = String(decoding: payload, as: UTF8.self)
        return text.hasPrefix("client ") ? .clientChanged(String(text.dropFirst("client ".count))) : .keysetChanged
    }
}
