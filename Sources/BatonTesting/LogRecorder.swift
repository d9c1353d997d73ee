import Logging
import Synchronization

/// Keeps every log line written through it, for assertions on events (`Logger(label:) { _ in recorder }`).
public final class LogRecorder: LogHandler, Sendable {
    private let lines = Mutex<[String]>([])

    /// An empty recorder.
    public init() {}

    public var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }

    public var logLevel: Logger.Level {
        get { .info }
        set {}
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    public func log(event: LogEvent) {
        let rendered = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lines.withLock { $0.append("\(event.level) \(event.message) \(rendered)") }
    }

    /// Every line so far.
    public var all: [String] { lines.withLock { $0 } }
}
