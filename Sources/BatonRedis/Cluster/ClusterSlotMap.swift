/// Which node serves each of the 16384 slots, and its replicas: read from `CLUSTER SHARDS`
/// (Redis 7.0) or `CLUSTER SLOTS` (older servers). Pure: it only reads replies.
public struct ClusterSlotMap: Equatable, Sendable {
    /// A range of slots and the nodes that hold it.
    public struct Range: Equatable, Sendable {
        /// The first and last slot, inclusive.
        public var slots: ClosedRange<Int>
        /// The node that serves them (the primary).
        public var primary: ClusterNode
        /// Its replicas.
        public var replicas: [ClusterNode]
    }

    /// The ranges, sorted by their first slot.
    public private(set) var ranges: [Range]

    /// A map of these ranges.
    public init(ranges: [Range]) {
        self.ranges = ranges.sorted { $0.slots.lowerBound < $1.slots.lowerBound }
    }

    /// The primary that serves `slot`, or nil if no node does (the cluster is not fully covered).
    public func primary(for slot: HashSlot) -> ClusterNode? {
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = ranges[middle].slots
            if slot.value < range.lowerBound { high = middle - 1 } else if slot.value > range.upperBound { low = middle + 1 } else {
                return ranges[middle].primary
            }
        }
        return nil
    }

    /// Every primary, once each.
    public var primaries: [ClusterNode] {
        var seen = Set<ClusterNode>()
        return ranges.map(\.primary).filter { seen.insert($0).inserted }
    }

    /// Every node, primaries then replicas, once each.
    public var nodes: [ClusterNode] {
        var seen = Set<ClusterNode>()
        return (ranges.map(\.primary) + ranges.flatMap(\.replicas)).filter { seen.insert($0).inserted }
    }

    /// Whether every slot is served.
    public var coversEverySlot: Bool {
        var next = 0
        for range in ranges {
            guard range.slots.lowerBound == next else { return false }
            next = range.slots.upperBound + 1
        }
        return next == HashSlot.count
    }

    /// The map a `CLUSTER SHARDS` reply describes (RESP2: each shard a flat list of names and
    /// values: `slots` [start, end, …], `nodes` [[`ip`, `port`, `role`, `health`, …], …]). Nodes
    /// whose health is not `online` are left out; a shard without an online primary serves no slot.
    public init(shardsReply reply: RedisValue) throws {
        guard let shards = reply.array else { throw Self.malformed("CLUSTER SHARDS", reply) }
        var ranges: [Range] = []
        for shard in shards {
            let fields = try Self.fields(shard, "CLUSTER SHARDS")
            guard let slotBounds = fields["slots"]?.array, slotBounds.count % 2 == 0,
                  let nodes = fields["nodes"]?.array else { throw Self.malformed("CLUSTER SHARDS", shard) }
            var slots: [ClosedRange<Int>] = []
            for index in stride(from: 0, to: slotBounds.count, by: 2) {
                guard let start = slotBounds[index].int, let end = slotBounds[index + 1].int,
                      0 <= start, start <= end, end < HashSlot.count
                else { throw Self.malformed("CLUSTER SHARDS", shard) }
                slots.append(Int(start)...Int(end))
            }
            var primary: ClusterNode?
            var replicas: [ClusterNode] = []
            for node in nodes {
                let node = try Self.fields(node, "CLUSTER SHARDS")
                guard let host = (node["endpoint"]?.string).flatMap({ $0.isEmpty || $0 == "?" ? nil : $0 }) ?? node["ip"]?.string,
                      let port = node["port"]?.int ?? node["tls-port"]?.int,
                      let role = node["role"]?.string
                else { throw Self.malformed("CLUSTER SHARDS", .array([])) }
                guard node["health"]?.string ?? "online" == "online" else { continue }
                let address = ClusterNode(host: host, port: Int(port))
                if role == "master" { primary = address } else { replicas.append(address) }
            }
            guard let primary else { continue }
            ranges += slots.map { Range(slots: $0, primary: primary, replicas: replicas) }
        }
        self.init(ranges: ranges)
    }

    /// The map a `CLUSTER SLOTS` reply describes: [start, end, [ip, port, id…] primary, replicas…].
    public init(slotsReply reply: RedisValue) throws {
        guard let entries = reply.array else { throw Self.malformed("CLUSTER SLOTS", reply) }
        var ranges: [Range] = []
        for entry in entries {
            guard let parts = entry.array, parts.count >= 3, let start = parts[0].int, let end = parts[1].int,
                  0 <= start, start <= end, end < HashSlot.count
            else { throw Self.malformed("CLUSTER SLOTS", entry) }
            let nodes = try parts[2...].map { node -> ClusterNode in
                guard let fields = node.array, fields.count >= 2, let host = fields[0].string, let port = fields[1].int else {
                    throw Self.malformed("CLUSTER SLOTS", node)
                }
                return ClusterNode(host: host, port: Int(port))
            }
            ranges.append(Range(slots: Int(start)...Int(end), primary: nodes[0], replicas: Array(nodes.dropFirst())))
        }
        self.init(ranges: ranges)
    }

    /// A flat name/value list as a dictionary.
    private static func fields(_ value: RedisValue, _ command: String) throws -> [String: RedisValue] {
        guard let list = value.array, list.count % 2 == 0 else { throw malformed(command, value) }
        var fields: [String: RedisValue] = [:]
        for index in stride(from: 0, to: list.count, by: 2) {
            guard let name = list[index].string else { throw malformed(command, value) }
            fields[name] = list[index + 1]
        }
        return fields
    }

    private static func malformed(_ command: String, _ value: RedisValue) -> RedisError {
        RedisError(.unexpectedReply, "\(command) answered \(value)")
    }
}
