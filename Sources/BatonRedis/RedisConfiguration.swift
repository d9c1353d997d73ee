/// Where a Redis server is and how to talk to it.
///
/// ```swift
/// var configuration = try RedisConfiguration(url: "redis://:secret@127.0.0.1:6379/2")
/// configuration.connectionCount = 4
/// configuration.commandTimeout = .milliseconds(500)
/// ```
public struct RedisConfiguration: Sendable, Equatable {
    /// A TCP address or a unix socket path.
    public enum Endpoint: Sendable, Equatable, CustomStringConvertible {
        /// TCP to `host:port`.
        case tcp(host: String, port: Int)
        /// A unix domain socket.
        case unix(path: String)

        public var description: String {
            switch self {
            case .tcp(let host, let port): return "\(host):\(port)"
            case .unix(let path): return "unix:\(path)"
            }
        }
    }

    /// The server's address.
    public var endpoint: Endpoint
    /// The ACL user name sent with AUTH (Redis 6+), if any.
    public var username: String?
    /// The password sent with AUTH on every connect, if any.
    public var password: String?
    /// The database selected on every connect.
    public var database: Int
    /// How many pipelined connections the client keeps (commands are spread across them).
    public var connectionCount: Int = 4
    /// How long a command may wait for its reply before it fails with `.timeout`.
    public var commandTimeout: Duration = .seconds(2)
    /// How long establishing a connection (TCP + AUTH + SELECT) may take.
    public var connectTimeout: Duration = .seconds(1)
    /// The pause before the first reconnect attempt; it doubles up to `maximumReconnectDelay`.
    public var initialReconnectDelay: Duration = .milliseconds(20)
    /// The longest pause between reconnect attempts.
    public var maximumReconnectDelay: Duration = .seconds(1)
    /// How often a subscriber connection checks the server with PING.
    public var subscriberHealthCheckInterval: Duration = .seconds(2)

    /// Creates a configuration for an endpoint.
    public init(endpoint: Endpoint, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
    }

    /// Parses `redis://[[user]:password@]host[:port][/db]` or `unix:///path[?db=N&password=P]`.
    public init(url: String) throws {
        if url.hasPrefix("redis://") {
            try self.init(redisURL: url.dropFirst("redis://".count), original: url)
        } else if url.hasPrefix("unix://") {
            try self.init(unixURL: url.dropFirst("unix://".count), original: url)
        } else {
            throw Self.invalid(url, "the scheme must be redis:// or unix://")
        }
    }

    private init(redisURL rest: Substring, original: String) throws {
        var rest = rest
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = credentials[..<colon]
                username = user.isEmpty ? nil : try Self.percentDecoded(user, original)
                password = try Self.percentDecoded(credentials[credentials.index(after: colon)...], original)
            } else {
                password = try Self.percentDecoded(credentials, original)
            }
        }
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard let number = Int(path), number >= 0 else {
                    throw Self.invalid(original, "the database must be a number, not '\(path)'")
                }
                database = number
            }
        }
        var host = rest
        var port = 6379
        if rest.hasPrefix("[") {  // [ipv6]:port
            guard let close = rest.firstIndex(of: "]") else { throw Self.invalid(original, "unclosed '['") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw Self.invalid(original, "expected ':' after ']'") }
                port = try Self.port(after.dropFirst(), original)
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            port = try Self.port(rest[rest.index(after: colon)...], original)
        }
        guard !host.isEmpty else { throw Self.invalid(original, "the host is missing") }
        self.init(endpoint: .tcp(host: String(host), port: port), username: username, password: password, database: database)
    }

    private init(unixURL rest: Substring, original: String) throws {
        var path = rest
        var database = 0
        var password: String?
        if let question = rest.firstIndex(of: "?") {
            path = rest[..<question]
            for pair in rest[rest.index(after: question)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw Self.invalid(original, "malformed query '\(pair)'") }
                switch parts[0] {
                case "db":
                    guard let number = Int(parts[1]), number >= 0 else {
                        throw Self.invalid(original, "the database must be a number, not '\(parts[1])'")
                    }
                    database = number
                case "password":
                    password = try Self.percentDecoded(parts[1], original)
                default:
                    throw Self.invalid(original, "unknown parameter '\(parts[0])'")
                }
            }
        }
        guard path.hasPrefix("/"), path.count > 1 else {
            throw Self.invalid(original, "a unix socket URL needs an absolute path (unix:///path/to/redis.sock)")
        }
        self.init(endpoint: .unix(path: String(path)), password: password, database: database)
    }

    static func port(_ text: Substring, _ original: String) throws -> Int {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw invalid(original, "the port must be a number from 1 to 65535, not '\(text)'")
        }
        return port
    }

    static func percentDecoded(_ text: Substring, _ original: String) throws -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next(), let low = iterator.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { throw invalid(original, "malformed percent escape in the credentials") }
            bytes.append(value)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func invalid(_ url: String, _ reason: String) -> RedisError {
        // Never echo credentials: show the URL only up to the scheme.
        let scheme = url.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        return RedisError(.invalidConfiguration, "invalid Redis URL (\(scheme):…): \(reason)")
    }
}

extension RedisConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The endpoint and settings; the password only as whether there is one.
    public var description: String {
        "RedisConfiguration(endpoint: \(endpoint), username: \(username ?? "nil"), password: \(password == nil ? "nil" : "<redacted>"), "
            + "database: \(database), connectionCount: \(connectionCount), commandTimeout: \(commandTimeout))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["endpoint": endpoint, "username": username as Any, "password": password == nil ? "nil" : "<redacted>",
                                "database": database, "connectionCount": connectionCount, "commandTimeout": commandTimeout],
               displayStyle: .struct)
    }
}
