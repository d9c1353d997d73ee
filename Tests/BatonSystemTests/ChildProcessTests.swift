import BatonLocalServers
import BatonSystem
import Foundation
import Testing

@Suite struct ChildProcessTests {
    /// A descriptor this process opened without O_CLOEXEC does not reach the child: a server started
    /// by a test must not hold a pipe of another test open (its reader would wait for EOF forever).
    @Test func aChildInheritsNoDescriptorButItsStandardOnes() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { for end in ends { close(end) } }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("baton-fds-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let child = try ChildProcess.spawn("/bin/sh", ["-c", "ls /proc/$$/fd"], outputPath: output)
        #expect(await child.waitForExit() == 0)
        let descriptors = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
        #expect(descriptors.contains(0) && descriptors.contains(1) && descriptors.contains(2), "\(descriptors)")
        #expect(!descriptors.contains(ends[0]) && !descriptors.contains(ends[1]), "the child holds the pipe: \(descriptors)")
    }

    @Test func terminateStopsAChildWithSIGTERMWithinTheGracePeriod() async throws {
        let child = try ChildProcess.spawn("/bin/sleep", ["30"], outputPath: "/dev/null")
        var killedByForce = false
        let status = await child.terminate(gracePeriod: .seconds(10)) { killedByForce = true }
        #expect(ChildProcess.exitCode(status) == 128 + SIGTERM)
        #expect(!killedByForce && !child.isRunning)
    }

    @Test func terminateKillsAChildThatIgnoresSIGTERMAfterTheGracePeriod() async throws {
        // `exec` keeps the ignored SIGTERM for sleep itself, so nothing is left behind.
        let child = try ChildProcess.spawn("/bin/sh", ["-c", "trap '' TERM; exec sleep 30"], outputPath: "/dev/null")
        try await Task.sleep(for: .milliseconds(200))  // the trap is set before SIGTERM arrives
        var killedByForce = false
        let started = ContinuousClock.now
        let status = await child.terminate(gracePeriod: .milliseconds(300)) { killedByForce = true }
        #expect(ChildProcess.exitCode(status) == 128 + SIGKILL)
        #expect(killedByForce && !child.isRunning)
        #expect(ContinuousClock.now - started >= .milliseconds(300))
    }

    @Test func aChildInItsOwnProcessGroupTakesItsChildrenAlong() async throws {
        let child = try ChildProcess.spawn("/bin/sh", ["-c", "sleep 30 & wait"], outputPath: "/dev/null", ownProcessGroup: true)
        #expect(getpgid(child.pid) == child.pid && getpgid(0) != child.pid)
        var grandchildren: [pid_t] = []
        for _ in 0..<500 where grandchildren.isEmpty {
            grandchildren = ProcessStat.children(of: child.pid)
            try await Task.sleep(for: .milliseconds(10))
        }
        let sleeper = try #require(grandchildren.first)
        #expect(getpgid(sleeper) == child.pid)
        kill(-child.pid, SIGKILL)
        #expect(ChildProcess.exitCode(await child.waitForExit()) == 128 + SIGKILL)
        try await poll("the grandchild to exit", timeout: .seconds(5)) { (try? ProcessStat(pid: sleeper))?.state ?? "Z" == "Z" }
    }
}
