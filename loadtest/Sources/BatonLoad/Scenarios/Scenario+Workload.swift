extension Scenario {
    /// The workload of this scenario for one loop's users.
    func makeWorkload(subjects: [String], configuration: RunConfiguration) -> any Workload {
        switch self {
        case .healthz: HealthzWorkload()
        case .refresh, .rotation: UserWorkload(subjects: subjects, behavior: RefreshBehavior())
        case .mixed: UserWorkload(subjects: subjects, behavior: MixedBehavior(mix: configuration.mix))
        case .theft: UserWorkload(subjects: subjects, behavior: TheftBehavior(rotations: configuration.theftRotations))
        case .storm: StormWorkload(subjects: subjects, size: configuration.stormSize)
        }
    }
}
