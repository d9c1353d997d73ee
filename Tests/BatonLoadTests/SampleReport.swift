@testable import BatonLoad
import Foundation

/// A report assembled from synthetic loop totals, as a run would produce it.
enum SampleReport {
    static func make(loggedOutByFault: Int = 0, unavailable: Int = 0, transportErrors: Int = 0, seconds: Int = 5) throws -> RunReport {
        var configuration = RunConfiguration(scenario: .refresh, targets: [try LoadTarget(parsing: "http://127.0.0.1:8080")])
        configuration.adminToken = "not-in-the-report"
        configuration.users = 10
        configuration.connections = 4
        configuration.commandLine = ["baton-load", "run", "--admin-token", "***"]
        let stats = LoopStats()
        var timeline = TimelineRecorder(start: 0)
        for second in 1...seconds {
            for request in 0..<(100 * second) {
                stats.record(.refresh, latencyNanoseconds: UInt64(500_000 + request * 1_000 * second), verdict: .success)
            }
            if second == 3 {
                for _ in 0..<loggedOutByFault { stats.record(.refresh, latencyNanoseconds: 2_000_000, verdict: .loggedOutByFault) }
                for _ in 0..<unavailable { stats.record(.refresh, latencyNanoseconds: 1_000_000, verdict: .unavailable) }
                for _ in 0..<transportErrors { stats.recordTransportError("connection reset by peer") }
            }
            timeline.add(stats.takeInterval(), at: UInt64(second) * 1_000_000_000)
        }
        stats.activity.sessionsCreated = 10
        return RunReport(configuration: configuration, plans: LoopPlan.plans(for: configuration),
                         totals: [stats.totals(verificationProblem: nil)], timeline: timeline.points, duration: Double(seconds),
                         rotations: nil, startedAt: Date(timeIntervalSince1970: 1_800_000_000))
    }
}
