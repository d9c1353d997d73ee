/// One loop's share of a run: its connections (by target), its users, its rate and its quota.
struct LoopPlan: Sendable, Equatable {
    /// The target index of each connection.
    var connectionTargets: [Int]
    /// The subjects of its users.
    var subjects: [String]
    /// Its share of the open-loop rate.
    var rate: Double?
    /// Its share of `--requests`.
    var quota: Int?

    /// Splits `configuration` over at most `threads` loops: connections (whole storm groups for
    /// the storm scenario) and users round robin, rate and quota in proportion to connections.
    static func plans(for configuration: RunConfiguration) -> [LoopPlan] {
        let connections = configuration.effectiveConnections
        let groupSize = configuration.scenario == .storm ? configuration.stormSize : 1
        let groups = connections / groupSize
        let loops = max(1, min(configuration.threads, groups))
        var plans = [LoopPlan](repeating: LoopPlan(connectionTargets: [], subjects: []), count: loops)
        for group in 0..<groups {
            for member in 0..<groupSize {
                let connection = group * groupSize + member
                plans[group % loops].connectionTargets.append(connection % configuration.targets.count)
            }
        }
        if configuration.scenario.needsUsers {
            for user in 0..<configuration.effectiveUsers {
                plans[user % loops].subjects.append("load-\(configuration.runID)-u\(user)")
            }
        }
        var quotaLeft = configuration.requests ?? 0
        for index in plans.indices {
            let share = Double(plans[index].connectionTargets.count) / Double(connections)
            plans[index].rate = configuration.rate.map { $0 * share }
            if let requests = configuration.requests {
                let quota = index == plans.count - 1 ? quotaLeft : Int((Double(requests) * share).rounded(.down))
                plans[index].quota = quota
                quotaLeft -= quota
            }
        }
        return plans
    }
}
