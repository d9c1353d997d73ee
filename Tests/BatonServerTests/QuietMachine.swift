import BatonLocalServers
import Testing

/// For suites whose checks bound latency: no Redis Cluster or Sentinel deployment of another suite
/// forms while they run (`DeploymentGate`), so two busy cores do not turn into a failed bound.
struct QuietMachine: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await DeploymentGate.shared.withEveryPermit { try await function() }
    }
}

extension Trait where Self == QuietMachine {
    /// Holds off other suites' multi-process Redis deployments while the suite runs.
    static var quietMachine: Self { Self() }
}
