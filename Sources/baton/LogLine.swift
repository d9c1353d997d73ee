import BatonCore
import Foundation
import Logging
import Synchronization

/// One log line built straight into bytes, in the format `--log-format` chose:
///
/// - `text`: swift-log's `StreamLogHandler` format, `<time> <level> <label> : <key=value …> [<source>] <message>`;
/// - `json`: one object per line, `time`, `level`, `message` and `source` first, then the fields.
///
/// ```swift
/// var line = LogLine(.text, level: .info, label: "baton", source: "BatonServer", message: "request")
/// line.field("http.status", "200")
/// writer.write(line.finish())
/// ```
struct LogLine {
    /// How a line is written.
    enum Format: String {
        case text, json
    }

    private let format: Format
    private let source: String
    private let message: String
    private var bytes: [UInt8] = []

    /// Starts a line; fields follow in the order given (sorted, for `text`).
    init(_ format: Format, level: Logger.Level, label: String, source: String, message: String) {
        self.format = format
        self.source = source
        self.message = message
        bytes.reserveCapacity(192)
        switch format {
        case .text:
            bytes += Self.localTime().utf8
            bytes.append(UInt8(ascii: " "))
            bytes += level.rawValue.utf8
            bytes.append(UInt8(ascii: " "))
            bytes += label.utf8
            bytes += " :".utf8
        case .json:
            bytes += #"{"time":""#.utf8
            bytes += Self.utcTime().utf8
            bytes += #"","level":""#.utf8
            bytes += level.rawValue.utf8
            bytes += #"","message":"#.utf8
            JSONWriter.appendString(message.utf8, to: &bytes)
            bytes += #","source":"#.utf8
            JSONWriter.appendString(source.utf8, to: &bytes)
        }
    }

    /// Adds a field whose value is text.
    mutating func field(_ key: String, _ value: String) {
        appendKey(key)
        switch format {
        case .text: bytes += value.utf8
        case .json: JSONWriter.appendString(value.utf8, to: &bytes)
        }
    }

    /// Adds a field whose value `write` appends as UTF-8 (for `json`, escaped afterwards).
    mutating func field(_ key: String, _ write: (inout [UInt8]) -> Void) {
        appendKey(key)
        switch format {
        case .text:
            write(&bytes)
        case .json:
            var value: [UInt8] = []
            write(&value)
            JSONWriter.appendString(value, to: &bytes)
        }
    }

    /// ` key=` or `,"key":`.
    private mutating func appendKey(_ key: String) {
        switch format {
        case .text:
            bytes.append(UInt8(ascii: " "))
            bytes += key.utf8
            bytes.append(UInt8(ascii: "="))
        case .json:
            bytes.append(UInt8(ascii: ","))
            JSONWriter.appendString(key.utf8, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
        }
    }

    /// The finished line, newline included.
    consuming func finish() -> [UInt8] {
        switch format {
        case .text:
            bytes += " [".utf8
            bytes += source.utf8
            bytes += "] ".utf8
            bytes += message.utf8
        case .json:
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(0x0A)
        return bytes
    }

    /// The local time as `StreamLogHandler` prints it (`2026-12-02T05:20:01+0000`).
    private static func localTime() -> String {
        cached(localSecond) { now in
            var local = tm()
            localtime_r(&now, &local)
            var buffer = [Int8](repeating: 0, count: 32)
            let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
            return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// UTC with milliseconds (`2026-12-02T05:20:01.123Z`), for JSON lines.
    private static func utcTime() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let second = cached(utcSecond) { second in
            var utc = tm()
            gmtime_r(&second, &utc)
            var buffer = [Int8](repeating: 0, count: 32)
            let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &utc)
            return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        let milliseconds = now.tv_nsec / 1_000_000
        return second + "." + String(milliseconds / 100) + String(milliseconds / 10 % 10) + String(milliseconds % 10) + "Z"
    }

    /// `format(now)` for the current second, computed once per second.
    private static func cached(_ cache: borrowing Mutex<(second: time_t, text: String)>, _ format: (inout time_t) -> String) -> String {
        var now = time(nil)
        if let text = cache.withLock({ $0.second == now ? $0.text : nil }) { return text }
        let text = format(&now)
        cache.withLock { $0 = (now, text) }
        return text
    }

    private static let localSecond = Mutex<(second: time_t, text: String)>((0, ""))
    private static let utcSecond = Mutex<(second: time_t, text: String)>((0, ""))
}
