import BatonLocalServers
import BatonSystem
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// `baton cluster`'s supervisor: N workers kept running, a dead one restarted, all drained on
/// graceful shutdown.
@Suite struct WorkerSupervisorTests {
    /// The pids the workers wrote, one line each time a worker started.
    private func started(_ file: String) -> [Int32] {
        ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int32($0) }
    }

    @Test func restartsAWorkerThatDiesAndDrainsAllOnShutdown() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-supervisor-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pids = directory + "/pids"
        let logger = Logger(label: "supervisor-test")
        // Each worker records its pid, then waits (exec, so SIGTERM reaches the sleep itself).
        let supervisor = WorkerSupervisor(executable: "/bin/sh", count: 2, environment: [:], logDirectory: directory,
                                          logger: logger) { _ in ["-c", "echo $$ >> \(pids); exec sleep 60"] }
        let group = ServiceGroup(configuration: .init(services: [supervisor], logger: logger))
        let running = Task { try await group.run() }

        let live: [pid_t]
        do {
            // 30 s: under the whole suite the group's task itself was seen to start 10 s late.
            try await poll("two workers to start", timeout: .seconds(30)) { started(pids).count == 2 }
            let victim = started(pids)[0]
            kill(victim, SIGKILL)
            try await poll("the dead worker to be replaced", timeout: .seconds(30)) { started(pids).count == 3 }
            live = started(pids).filter { $0 != victim }
            #expect(live.allSatisfy { kill($0, 0) == 0 })
        } catch {
            // Drain before the directory goes, or the supervisor keeps restarting workers into it.
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }

        await group.triggerGracefulShutdown()
        try await running.value
        #expect(live.allSatisfy { kill($0, 0) != 0 }, "workers still run after the drain")
    }
}
