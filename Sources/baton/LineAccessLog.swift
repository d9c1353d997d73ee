import BatonCore
import BatonServer
import BatonSystem
import Logging

/// The access line of `baton serve`, formatted straight into bytes (no swift-log metadata
/// dictionary, no `Double`) as `LineLogHandler` would write it from the worker's logger, and
/// handed to the `LogWriter` thread: the default log level (info) keeps one line per request at
/// a few percent of a refresh's cost.
struct LineAccessLog: AccessLog {
    /// A field of the line: one of the logger's own (fixed for the worker's life) or the request's.
    private enum Field {
        case fixed(String, String), method, path, status, duration

        var key: String {
            switch self {
            case .fixed(let key, _): key
            case .method: AccessLogLine.method
            case .path: AccessLogLine.path
            case .status: AccessLogLine.status
            case .duration: AccessLogLine.duration
            }
        }
    }

    let isEnabled: Bool
    private let format: LogLine.Format
    private let label: String
    private let fields: [Field]
    private let writer: LogWriter

    /// Lines as `logger` would write them at info (its label, level and metadata).
    init(logger: Logger, format: LogLine.Format, writer: LogWriter) {
        isEnabled = logger.logLevel <= .info
        self.format = format
        label = logger.label
        self.writer = writer
        let fixed = logger.handler.metadata.map { Field.fixed($0.key, "\($0.value)") }
        fields = (fixed + [.method, .path, .status, .duration]).sorted { $0.key < $1.key }
    }

    func request(method: String, path: String, status: Int, duration: Duration) {
        var line = LogLine(format, level: .info, label: label, source: "BatonServer", message: AccessLogLine.message)
        for field in fields {
            switch field {
            case .fixed(let key, let value): line.field(key, value)
            case .method: line.field(AccessLogLine.method, method)
            case .path: line.field(AccessLogLine.path, path)
            case .status: line.field(AccessLogLine.status) { DecimalDigits.append(UInt64(max(0, status)), to: &$0) }
            case .duration: line.field(AccessLogLine.duration) { Milliseconds.append(duration, to: &$0) }
            }
        }
        writer.write(line.finish())
    }
}
