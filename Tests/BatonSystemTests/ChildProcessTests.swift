import BatonSystem
import Foundation
import Testing

@Suite struct ChildProcessTests {
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
}
