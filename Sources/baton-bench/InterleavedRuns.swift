/// Closed-loop refresh runs on several `baton cluster`s (or one, loaded two ways) in turn — A, B,
/// A, B… — after a short warm-up of each, so that the machine's swings hit them alike
/// (`LogLevelCost`, `FamilyScale`, `DPoPCost`).
struct InterleavedRuns {
    /// baton-load's path.
    let load: String
    /// baton-load's common options, without `--url` and the token.
    let arguments: [String]
    /// Where each run's JSON report goes (`<name>-<index>.json`).
    let directory: String

    /// `rounds` rounds of one `seconds` run per cluster, in order; `names[i]` names cluster i's
    /// reports and progress lines, and `extra[i]` (when given) adds options to its runs, so one
    /// cluster may appear twice to compare two ways of loading it. `settle` runs before every run
    /// (warm-ups included). Returns each slot's runs.
    func run(on clusters: [BenchCluster], names: [String], extra: [[String]] = [], rounds: Int, seconds: Int,
             settle: () async throws -> Void = {}) async throws -> [[LoadRun]] {
        func run(_ slot: Int, _ report: String, _ duration: Int) async throws -> LoadRun {
            try await settle()
            let cluster = clusters[slot]
            return try await LoadRun.run(load, ["run", "--scenario", "refresh", "--duration", "\(duration)s", "--url", cluster.url,
                                                "--admin-token-file", cluster.adminTokenFile] + arguments
                                                + (slot < extra.count ? extra[slot] : []),
                                         json: directory + "/\(report).json", cluster: cluster)
        }
        for (slot, name) in names.enumerated() { _ = try await run(slot, "\(name)-warmup", 3) }
        var results = Array(repeating: [LoadRun](), count: clusters.count)
        for index in 1...rounds {
            for (slot, name) in names.enumerated() {
                print("\(name), run \(index) of \(rounds): \(seconds) s…")
                results[slot].append(try await run(slot, "\(name)-\(index)", seconds))
            }
        }
        return results
    }
}
