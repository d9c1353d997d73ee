extension Scenario {
    /// The workload of this scenario for one loop's users; with `dpop` (the endpoints proofs name),
    /// each user gets a DPoP key of its own (and the theft scenario's thief one too).
    func makeWorkload(subjects: [String], configuration: RunConfiguration, dpop: DPoPEndpoints?) throws -> any Workload {
        let users = try VirtualUser.make(subjects: subjects, dpop: dpop != nil)
        let proofs = try dpop.map { try DPoPProofWriter(endpoints: $0) }
        switch self {
        case .healthz:
            return HealthzWorkload()
        case .refresh, .rotation:
            return UserWorkload(users: users, behavior: RefreshBehavior(), proofs: proofs)
        case .mixed:
            return UserWorkload(users: users, behavior: MixedBehavior(mix: configuration.mix), proofs: proofs)
        case .theft:
            let thief = try dpop.map { _ in try DPoPKey.generate() }
            return UserWorkload(users: users, behavior: TheftBehavior(rotations: configuration.theftRotations, thiefKey: thief),
                                proofs: proofs)
        case .storm:
            return StormWorkload(users: users, size: configuration.stormSize, proofs: proofs)
        }
    }
}
