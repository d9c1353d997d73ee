/// Which Redis deployment a URL names, and how to reach it:
///
/// - `redis://[[user]:password@]host[:port][/db]`, `unix:///path[?db=N&password=P]`: one server.
/// - `redis-cluster://[[user]:password@]host:port[,host:port…]`: seed nodes of a Redis Cluster.
/// - `redis-sentinel://[[user]:password@]host:port[,host:port…]/MASTER_NAME[?db=N&sentinel_password=P]`:
///   the sentinels watching the primary named `MASTER_NAME` (port 26379 unless given).
///
/// Errors never repeat the URL past its scheme, so a password cannot reach a log.
public enum RedisTopology: Equatable, Sendable {
    /// One server.
    case standalone(RedisConfiguration)
    /// A Redis Cluster, learnt from its seeds; `template` holds the credentials every node gets.
    case cluster(seeds: [ClusterNode], template: RedisConfiguration)
    /// A Sentinel-managed primary; `template` holds the primary's credentials and database.
    case sentinel(sentinels: [ClusterNode], masterName: String, template: RedisConfiguration, sentinelPassword: String?)

    /// Parses a Redis URL of any of the three kinds.
    public init(url: String) throws {
        if url.hasPrefix("redis-cluster://") {
            let (credentials, rest) = try Self.credentials(url.dropFirst("redis-cluster://".count), url)
            guard !rest.contains("/"), !rest.contains("?") else {
                throw RedisConfiguration.invalid(url, "a cluster URL has no database or options (a cluster has database 0 only)")
            }
            let seeds = try Self.nodes(rest, defaultPort: 6379, url)
            self = .cluster(seeds: seeds, template: Self.template(seeds[0], credentials, database: 0))
        } else if url.hasPrefix("redis-sentinel://") {
            let (credentials, rest) = try Self.credentials(url.dropFirst("redis-sentinel://".count), url)
            guard let slash = rest.firstIndex(of: "/") else {
                throw RedisConfiguration.invalid(url, "the master's name is missing (…/MASTER_NAME)")
            }
            let sentinels = try Self.nodes(rest[..<slash], defaultPort: 26379, url)
            var name = rest[rest.index(after: slash)...]
            var query: Substring = ""
            if let mark = name.firstIndex(of: "?") {
                query = name[name.index(after: mark)...]
                name = name[..<mark]
            }
            guard !name.isEmpty, !name.contains("/") else { throw RedisConfiguration.invalid(url, "the master's name is missing") }
            var database = 0
            var sentinelPassword: String?
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                let value = parts.count == 2 ? parts[1] : ""
                switch parts.first {
                case "db":
                    guard let number = Int(value), number >= 0 else { throw RedisConfiguration.invalid(url, "db must be a number") }
                    database = number
                case "sentinel_password":
                    sentinelPassword = try RedisConfiguration.percentDecoded(value, url)
                default:
                    throw RedisConfiguration.invalid(url, "unknown option '\(parts.first ?? "")' (db, sentinel_password)")
                }
            }
            self = .sentinel(sentinels: sentinels, masterName: try RedisConfiguration.percentDecoded(name, url),
                             template: Self.template(sentinels[0], credentials, database: database),
                             sentinelPassword: sentinelPassword)
        } else if url.hasPrefix("redis://") || url.hasPrefix("unix://") {
            self = .standalone(try RedisConfiguration(url: url))
        } else {
            throw RedisConfiguration.invalid(url, "the scheme must be redis://, unix://, redis-cluster:// or redis-sentinel://")
        }
    }

    private static func credentials(_ text: Substring, _ url: String) throws
        -> (credentials: (username: String?, password: String?), rest: Substring) {
        guard let at = text.lastIndex(of: "@") else { return ((nil, nil), text) }
        let credentials = text[..<at]
        let rest = text[text.index(after: at)...]
        guard let colon = credentials.firstIndex(of: ":") else {
            return ((nil, try RedisConfiguration.percentDecoded(credentials, url)), rest)
        }
        let user = credentials[..<colon]
        return ((user.isEmpty ? nil : try RedisConfiguration.percentDecoded(user, url),
                 try RedisConfiguration.percentDecoded(credentials[credentials.index(after: colon)...], url)), rest)
    }

    private static func nodes(_ text: Substring, defaultPort: Int, _ url: String) throws -> [ClusterNode] {
        let nodes = try text.split(separator: ",", omittingEmptySubsequences: false).map { item -> ClusterNode in
            guard !item.isEmpty else { throw RedisConfiguration.invalid(url, "an empty host in the list") }
            if item.hasPrefix("[") {  // [ipv6]:port or [ipv6]
                guard let close = item.firstIndex(of: "]") else { throw RedisConfiguration.invalid(url, "unclosed '['") }
                let host = String(item[item.index(after: item.startIndex)..<close])
                let after = item[item.index(after: close)...]
                guard after.isEmpty || after.hasPrefix(":") else { throw RedisConfiguration.invalid(url, "expected ':' after ']'") }
                return ClusterNode(host: host, port: after.isEmpty ? defaultPort : try RedisConfiguration.port(after.dropFirst(), url))
            }
            guard let colon = item.lastIndex(of: ":") else { return ClusterNode(host: String(item), port: defaultPort) }
            guard colon > item.startIndex else { throw RedisConfiguration.invalid(url, "a host is missing") }
            return ClusterNode(host: String(item[..<colon]), port: try RedisConfiguration.port(item[item.index(after: colon)...], url))
        }
        guard !nodes.isEmpty else { throw RedisConfiguration.invalid(url, "no host given") }
        return nodes
    }

    private static func template(_ node: ClusterNode, _ credentials: (username: String?, password: String?),
                                 database: Int) -> RedisConfiguration {
        RedisConfiguration(endpoint: .tcp(host: node.host, port: node.port), username: credentials.username,
                           password: credentials.password, database: database)
    }
}
