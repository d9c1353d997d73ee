/// What Redis Sentinel and a candidate primary answer, read as values. Pure: it only parses.
enum SentinelReplies {
    /// The address in a `SENTINEL get-master-addr-by-name` reply (`[ip, port]`), or nil when the
    /// sentinel does not know the name.
    static func primaryAddress(_ reply: RedisValue) -> ClusterNode? {
        guard let parts = reply.array, parts.count == 2, let host = parts[0].string,
              let portText = parts[1].string, let port = Int(portText), (1...65535).contains(port)
        else { return nil }
        return ClusterNode(host: host, port: port)
    }

    /// The new primary a `+switch-master` message announces for `masterName`
    /// (`<name> <old ip> <old port> <new ip> <new port>`), or nil for another name or a malformed one.
    static func switchedPrimary(_ payload: [UInt8], masterName: String) -> ClusterNode? {
        let words = String(decoding: payload, as: UTF8.self).split(separator: " ")
        guard words.count == 5, words[0] == masterName, let port = Int(words[4]), (1...65535).contains(port) else { return nil }
        return ClusterNode(host: String(words[3]), port: port)
    }

    /// Whether a `ROLE` reply says `master`.
    static func isPrimary(roleReply: RedisValue) -> Bool {
        roleReply.array?.first?.string == "master"
    }
}
