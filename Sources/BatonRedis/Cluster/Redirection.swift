/// A Redis Cluster redirection, parsed from the error a node answers when a key's slot is served
/// elsewhere: `MOVED <slot> <host>:<port>` (the slot moved for good: update the slot map) or
/// `ASK <slot> <host>:<port>` (the slot is migrating: send `ASKING` and the command there once,
/// leaving the map as it is).
public struct Redirection: Equatable, Sendable {
    /// Whether the move is permanent.
    public enum Kind: String, Sendable {
        case moved = "MOVED"
        case ask = "ASK"
    }

    /// MOVED or ASK.
    public var kind: Kind
    /// The slot concerned.
    public var slot: HashSlot
    /// The node to ask instead.
    public var node: ClusterNode

    /// Reads a server error's message; nil when it is not a redirection.
    public init?(errorMessage message: String) {
        let parts = message.split(separator: " ")
        guard parts.count == 3, let kind = Kind(rawValue: String(parts[0])),
              let number = Int(parts[1]), let slot = HashSlot(number),
              let node = ClusterNode(hostPort: parts[2])
        else { return nil }
        self.kind = kind
        self.slot = slot
        self.node = node
    }

    /// The redirection a Redis error carries, if any.
    public init?(_ error: RedisError) {
        guard error.code == .server else { return nil }
        self.init(errorMessage: error.message)
    }
}

/// A cluster node's address.
public struct ClusterNode: Hashable, Sendable, CustomStringConvertible {
    /// Host name or IP address (an IPv6 address without brackets).
    public var host: String
    /// TCP port.
    public var port: Int

    /// A node at `host:port`.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` (the port after the last colon, so IPv6 hosts work); nil if malformed.
    public init?(hostPort text: some StringProtocol) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65_535).contains(port), colon > text.startIndex
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
