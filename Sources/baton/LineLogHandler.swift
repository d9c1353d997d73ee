import BatonSystem
import Foundation
import Logging
import Synchronization

/// Baton's log lines on standard error, written by the `LogWriter` thread so that a request's log
/// line never blocks its event loop:
///
/// - `text` (the default): swift-log's `StreamLogHandler` format,
///   `<time> <level> <label> : <key=value …> [<source>] <message>`;
/// - `json`: one JSON object per line with the time, level, message, source and every metadata
///   field (for log pipelines).
struct LineLogHandler: LogHandler {
    /// How a line is written.
    enum Format: String {
        case text, json
    }

    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let label: String
    let format: Format
    let writer: LogWriter

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 })
        switch format {
        case .text:
            var line = Self.timestamp() + " " + event.level.rawValue + " " + label + " :"
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
            line += " [" + event.source + "] \(event.message)\n"
            writer.write(line.utf8)
        case .json:
            var fields: [String: String] = [
                "time": ISO8601DateFormatter.string(from: Date(), timeZone: .gmt,
                                                    formatOptions: [.withInternetDateTime, .withFractionalSeconds]),
                "level": event.level.rawValue,
                "message": "\(event.message)",
                "source": event.source,
            ]
            for (key, value) in merged { fields[key] = "\(value)" }
            guard var line = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return }
            line.append(0x0A)
            writer.write(line)
        }
    }

    /// The local time as `StreamLogHandler` prints it (`2026-12-02T05:20:01+0000`), formatted
    /// once per second.
    private static func timestamp() -> String {
        var now = time(nil)
        if let cached = lastTimestamp.withLock({ $0.second == now ? $0.text : nil }) { return cached }
        var local = tm()
        localtime_r(&now, &local)
        var buffer = [Int8](repeating: 0, count: 32)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        let text = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        lastTimestamp.withLock { $0 = (now, text) }
        return text
    }

    private static let lastTimestamp = Mutex<(second: time_t, text: String)>((0, ""))
}
