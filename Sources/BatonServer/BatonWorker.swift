import BatonCore
import Logging
import ServiceLifecycle

/// One running worker: its HTTP server and the services that keep its keyset current, as one
/// `Service` that drains gracefully (SIGTERM in `baton serve`, or a test's shutdown).
public struct BatonWorker: Service {
    let services: [any Service]
    let logger: Logger

    public func run() async throws {
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: logger))
        try await withGracefulShutdownHandler {
            try await group.run()
        } onGracefulShutdown: {
            Task { await group.triggerGracefulShutdown() }
        }
    }
}

extension BatonWorker: RedactedDescription {
    /// The services it runs, each describing itself.
    public var publicFields: KeyValuePairs<String, Any> { ["services": services.map { String(describing: $0) }] }
}
