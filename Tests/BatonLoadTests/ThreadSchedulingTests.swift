@testable import BatonLoad
import Foundation
import Glibc
import Testing

@Suite struct ThreadSchedulingTests {
    /// Applies each policy on a thread of its own and reads back what the kernel holds for it.
    private func policies(after steps: [ThreadScheduling]) async throws -> [Int32] {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    var seen: [Int32] = []
                    for step in steps {
                        try step.applyToCurrentThread()
                        seen.append(sched_getscheduler(0))
                    }
                    continuation.resume(returning: seen)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
    }

    @Test func batchAndNormalReachTheKernel() async throws {
        // 3 is SCHED_BATCH, 0 SCHED_OTHER.
        #expect(try await policies(after: [.batch, .normal, .batch]) == [3, 0, 3])
    }

    @Test func theDefaultIsBatchAndTheOptionParses() {
        let configuration = RunConfiguration(scenario: .refresh, targets: [])
        #expect(configuration.scheduling == .batch)
        #expect(ThreadScheduling(rawValue: "normal") == .normal && ThreadScheduling(rawValue: "fifo") == nil)
    }
}
