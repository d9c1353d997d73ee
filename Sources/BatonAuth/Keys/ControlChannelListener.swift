import BatonCore
import Logging
import ServiceLifecycle

/// Keeps a worker's keyset and client cache current: reloads on every control-channel message and
/// after every (re)subscription, and polls the version as a fallback, because pub/sub delivery
/// is at-most-once.
public struct ControlChannelListener: Service {
    let channel: any ControlChannel
    let keyring: Keyring
    let clients: ClientRegistry
    let pollInterval: Duration
    let metrics: any AuthMetrics
    let logger: Logger

    /// A listener that reloads `keyring` and invalidates `clients` on `channel`'s news.
    public init(channel: any ControlChannel, keyring: Keyring, clients: ClientRegistry, pollInterval: Duration,
                metrics: any AuthMetrics, logger: Logger) {
        self.channel = channel
        self.keyring = keyring
        self.clients = clients
        self.pollInterval = pollInterval
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await listen() }
                group.addTask { await poll() }
            }
        }
    }

    private func listen() async {
        for await event in channel.events() {
            switch event {
            case .subscribed(let again):
                if again {
                    logger.notice("control channel resubscribed; reloading")
                    metrics.controlResubscribed()
                }
                clients.invalidate()
                await reload()
            case .clientChanged(let id):
                clients.invalidate(id)
            case .keysetChanged:
                await reload()
            }
        }
    }

    private func poll() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: pollInterval)
            guard let version = try? await channel.version() else { continue }
            if version != keyring.version {
                clients.invalidate()
                await reload()
            }
        }
    }

    private func reload() async {
        do {
            try await keyring.reload()
            metrics.keysetLoaded(version: keyring.version)
        } catch {
            logger.error("keyset reload failed; keeping the keys loaded before", metadata: ["error": "\(error)"])
        }
    }
}

extension ControlChannelListener: RedactedDescription {
    /// Its poll interval.
    public var publicFields: KeyValuePairs<String, Any> { ["pollInterval": pollInterval] }
}
