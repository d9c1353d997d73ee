import Logging

/// Where the one line per answered request goes (written at level info): method, path without
/// query, status and milliseconds, never a token. `baton serve` formats the line straight into
/// bytes for its log writer thread (`LineAccessLog`); embedders and tests get `LoggerAccessLog`,
/// the same fields through swift-log.
public protocol AccessLog: Sendable {
    /// Whether lines are written at all (the log level is info or lower).
    var isEnabled: Bool { get }
    /// Writes the line of one answered request.
    func request(method: String, path: String, status: Int, duration: Duration)
}

/// The access line's message and field names, the same for every `AccessLog`.
public enum AccessLogLine {
    public static let message = "request"
    public static let method = "http.method"
    public static let path = "http.path"
    public static let status = "http.status"
    /// Milliseconds with three decimals (`Milliseconds.append`).
    public static let duration = "http.duration_ms"
}

/// The access line through a swift-log `Logger` (its metadata plus the request's fields).
public struct LoggerAccessLog: AccessLog {
    let logger: Logger

    /// Lines at info on `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    public var isEnabled: Bool { logger.logLevel <= .info }

    public func request(method: String, path: String, status: Int, duration: Duration) {
        var milliseconds: [UInt8] = []
        Milliseconds.append(duration, to: &milliseconds)
        logger.info("\(AccessLogLine.message)", metadata: [
            AccessLogLine.method: "\(method)",
            AccessLogLine.path: "\(path)",
            AccessLogLine.status: "\(status)",
            AccessLogLine.duration: "\(String(decoding: milliseconds, as: UTF8.self))",
        ])
    }
}
