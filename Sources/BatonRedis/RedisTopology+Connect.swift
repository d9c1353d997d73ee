extension RedisTopology {
    /// The connection settings every connection of the deployment gets (credentials, database,
    /// pool size, timeouts).
    public var template: RedisConfiguration {
        switch self {
        case .standalone(let configuration): configuration
        case .cluster(_, let template): template
        case .sentinel(_, _, let template, _): template
        }
    }

    /// The same deployment with `change` applied to its connection settings (pool size, timeouts).
    public func configured(_ change: (inout RedisConfiguration) -> Void) -> RedisTopology {
        var template = self.template
        change(&template)
        switch self {
        case .standalone: return .standalone(template)
        case .cluster(let seeds, _): return .cluster(seeds: seeds, template: template)
        case .sentinel(let sentinels, let name, _, let password):
            return .sentinel(sentinels: sentinels, masterName: name, template: template, sentinelPassword: password)
        }
    }

    /// A client for the deployment; it connects in the background (`waitUntilReady` waits).
    public func connect() -> any RedisDeployment {
        switch self {
        case .standalone(let configuration):
            RedisClient(configuration: configuration)
        case .cluster(let seeds, let template):
            RedisClusterClient(seeds: seeds, configuration: template)
        case .sentinel(let sentinels, let name, let template, let password):
            RedisSentinelClient(sentinels: sentinels, masterName: name, configuration: template, sentinelPassword: password)
        }
    }
}

extension RedisTopology: CustomStringConvertible {
    /// The deployment without credentials, for logs: `redis 127.0.0.1:6379`, `cluster seeds …`,
    /// `sentinel … master NAME`.
    public var description: String {
        switch self {
        case .standalone(let configuration): "redis \(configuration.endpoint)"
        case .cluster(let seeds, _): "cluster seeds \(seeds.map(\.description).joined(separator: ","))"
        case .sentinel(let sentinels, let name, _, _):
            "sentinel \(sentinels.map(\.description).joined(separator: ",")) master \(name)"
        }
    }
}
