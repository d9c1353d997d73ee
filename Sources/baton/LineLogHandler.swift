import BatonSystem
import Logging

/// Baton's log lines on standard error (`LogLine`, text or JSON), written by the `LogWriter`
/// thread so that a log line never blocks an event loop.
struct LineLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let label: String
    let format: LogLine.Format
    let writer: LogWriter

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 })
        var line = LogLine(format, level: event.level, label: label, source: event.source, message: "\(event.message)")
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line.field(key, "\(value)") }
        writer.write(line.finish())
    }
}
