import BatonCore
import BatonRedis
import BatonStore
import Logging
import ServiceLifecycle

/// Keeps a worker's keyset and client cache current: reloads on every `bt:control` message and
/// after every (re)subscription, and polls the version as a fallback, because pub/sub delivery
/// is at-most-once.
struct ControlChannelListener: Service {
    let redis: RedisClient
    let keyring: Keyring
    let clients: ClientRegistry
    let pollInterval: Duration
    let metrics: BatonMetrics
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await listen() }
                group.addTask { await poll() }
            }
        }
    }

    private func listen() async {
        let subscription = redis.subscribe(to: [KeySchema.controlChannel])
        await withTaskCancellationHandler {
            for await event in subscription {
                switch event {
                case .subscribed(let again):
                    if again {
                        logger.notice("control channel resubscribed; reloading")
                        metrics.pubSubResubscriptions.increment()
                    }
                    clients.invalidate()
                    await reload()
                case .message(_, let payload):
                    let text = String(decoding: payload, as: UTF8.self)
                    if text.hasPrefix("client ") {
                        clients.invalidate(String(text.dropFirst("client ".count)))
                    } else {
                        await reload()
                    }
                }
            }
        } onCancel: {
            subscription.cancel()
        }
    }

    private func poll() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: pollInterval)
            guard let version = try? await redis.send("GET", KeySchema.version).int ?? 0 else { continue }
            if version != keyring.version {
                clients.invalidate()
                await reload()
            }
        }
    }

    private func reload() async {
        do {
            try await keyring.reload()
            metrics.keysetVersion.set(keyring.version)
        } catch {
            logger.error("keyset reload failed; keeping the keys loaded before", metadata: ["error": "\(error)"])
        }
    }
}
