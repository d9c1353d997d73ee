/// A process's running total of something counted exactly (heap allocations, instructions), read
/// before and after each run of a per-request benchmark (`PerRequestCounts`).
protocol RunningCount: Sendable {
    /// The total so far.
    func read() async throws -> UInt64
}
