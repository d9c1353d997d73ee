@testable import BatonLoad
import BatonLocalServers
import Foundation
import Testing

/// Each scenario for about two seconds against a real `baton serve` and redis-server: the run
/// must pass, have throughput, and count no correctness failure; and real failures must fail it.
/// One at a time: each is a closed-loop load generator at full speed, and ten at once starve the
/// rest of the suite on a 2-core machine.
@Suite(.serialized) struct LoadScenarioTests {
    private func expectPassed(_ run: BatonServeProcesses.LoadRun, _ scenario: Scenario,
                              sourceLocation: SourceLocation = #_sourceLocation) throws -> RunReport {
        #expect(run.status == 0, "\(run.output)", sourceLocation: sourceLocation)
        let report = try #require(run.report, "no report: \(run.output)", sourceLocation: sourceLocation)
        #expect(report.scenario == scenario, sourceLocation: sourceLocation)
        #expect(report.passed && report.correctnessFailures == 0, "\(run.output)", sourceLocation: sourceLocation)
        #expect(report.requests > 0 && report.throughput > 0, sourceLocation: sourceLocation)
        #expect(report.timeline.count >= 2, sourceLocation: sourceLocation)
        #expect(!run.output.contains("btr1."), "a refresh token was printed", sourceLocation: sourceLocation)
        return report
    }

    @Test func refreshClosedLoop() async throws {
        try await BatonServeProcesses.withLoadTarget { server in
            let run = try await server.load(server.runArguments(["--scenario", "refresh", "--users", "8", "--connections", "4", "--duration", "2s"]))
            let report = try expectPassed(run, .refresh)
            #expect(report.mode == "closed" && report.operations["refresh"]?.requests == report.requests)
            #expect(report.activity.sessionsCreated == 8)
            #expect(report.scheduling == .batch && run.output.contains("1 thread (batch scheduling)"))
            #expect(run.output.contains("PASSED"))
        }
    }

    @Test func refreshOpenLoop() async throws {
        try await BatonServeProcesses.withLoadTarget { server in
            let run = try await server.load(server.runArguments([
                "--scenario", "refresh", "--users", "8", "--connections", "4", "--rate", "100", "--duration", "2s",
                "--scheduling", "normal",
            ]))
            let report = try expectPassed(run, .refresh)
            #expect(report.mode == "open" && report.rate == 100 && report.scheduling == .normal)
            // Every ticket the schedule (100/s) made due was answered or, if the server fell behind,
            // reported unsent.
            let due = Int(report.durationS * 100) + 1
            #expect(abs(report.requests + report.unsent - due) <= 2, "\(report.requests) answered, \(report.unsent) unsent, \(due) due")
        }
    }

    @Test func mixed() async throws {
        try await BatonServeProcesses.withLoadTarget { server in
            let run = try await server.load(server.runArguments([
                "--scenario", "mixed", "--users", "8", "--connections", "4", "--duration", "2s",
                "--mix", "create=1,refresh=4,introspect=2,revoke=1",
            ]))
            let report = try expectPassed(run, .mixed)
            for operation in ["create", "refresh", "introspect", "revoke"] {
                #expect((report.operations[operation]?.requests ?? 0) > 0, "no \(operation)")
            }
        }
    }

    @Test func storm() async throws {
        try await BatonServeProcesses.withLoadTarget { server in
            let run = try await server.load(server.runArguments([
                "--scenario", "storm", "--connections", "10", "--storm-size", "10", "--duration", "2s",
            ]))
            let report = try expectPassed(run, .storm)
            #expect(report.activity.stormRounds > 0 && report.users == 1 && report.connections == 10)
        }
    }

    @Test func theft() async throws {
        try await BatonServeProcesses.withLoadTarget { server in
            let run = try await server.load(server.runArguments(["--scenario", "theft", "--users", "8", "--connections", "4", "--duration", "2s"]))
            let report = try expectPassed(run, .theft)
            #expect(report.activity.theftAttempts > 0 && report.activity.theftsDetected > 0)
            #expect(report.settings.gracePeriodS == 0)
        }
    }

    @Test func rotation() async throws {
        try await BatonServeProcesses.withLoadTarget { server in
            let run = try await server.load(server.runArguments([
                "--scenario", "rotation", "--users", "8", "--connections", "4", "--duration", "2500ms", "--rotate-every", "500ms",
            ]))
            let report = try expectPassed(run, .rotation)
            #expect(report.activity.keyRotations >= 2)
            #expect(report.activity.tokensVerified == report.successes)
        }
    }

    @Test func rotationAcrossTwoWorkers() async throws {
        // Connections alternate between the workers; a key one worker rotates in reaches the other
        // through pub/sub, and every token from either verifies against the JWKS.
        try await BatonServeProcesses.withLoadTarget(workers: 2) { server in
            let run = try await server.load(server.runArguments([
                "--scenario", "rotation", "--users", "8", "--connections", "4", "--duration", "2500ms", "--rotate-every", "500ms",
            ]))
            let report = try expectPassed(run, .rotation)
            #expect(report.targets.count == 2 && report.activity.keyRotations >= 2)
            #expect(report.activity.tokensVerified == report.successes)
        }
    }

    // MARK: DPoP (RFC 9449): each user's own key, a proof per request

    @Test func refreshWithDPoPAndNonces() async throws {
        try await BatonServeProcesses.withLoadTarget { server in
            let run = try await server.load(server.runArguments([
                "--scenario", "refresh", "--users", "8", "--connections", "4", "--duration", "2s", "--dpop", "--dpop-nonce",
            ]))
            let report = try expectPassed(run, .refresh)
            #expect(report.settings.dpop == true && report.settings.dpopNonce == true)
            #expect(run.output.contains("8 users, DPoP with nonces"), "\(run.output)")
            // Each user's first proof is asked for a nonce, and its proofs carry one from then on.
            #expect((8...16).contains(report.activity.dpopNonceRetries), "\(report.activity)")
            #expect(run.output.contains("DPoP nonce retries \(report.activity.dpopNonceRetries)"))
            let refreshes = try #require(report.operations["refresh"])
            #expect(refreshes.requests - refreshes.failures == report.successes && refreshes.requests > 100)
        }
    }

    @Test func theftWithDPoPLeavesEveryFamilyAlive() async throws {
        try await BatonServeProcesses.withLoadTarget { server in
            let run = try await server.load(server.runArguments([
                "--scenario", "theft", "--users", "8", "--connections", "4", "--duration", "2s", "--dpop",
            ]))
            let report = try expectPassed(run, .theft)
            let activity = report.activity
            #expect(activity.theftAttempts > 0 && activity.stolenTokensRefused == activity.theftAttempts, "\(activity)")
            // Two attempts per stolen token; a theft whose user had not refreshed yet when the run
            // ended is not counted alive.
            #expect(activity.familiesLeftAlive > 0 && (activity.theftAttempts / 2 - 8...activity.theftAttempts / 2).contains(activity.familiesLeftAlive),
                    "\(activity)")
            #expect(activity.theftsDetected == 0 && report.correctness.familiesKilled == 0 && report.correctness.missedTheftDetections == 0)
            #expect(run.output.contains("stolen tokens refused without the key \(Format.integer(activity.stolenTokensRefused))"), "\(run.output)")
            #expect(run.output.contains("families left alive \(Format.integer(activity.familiesLeftAlive))"))
            // The worker agrees: every thief refused in the rotation script, nothing revoked.
            let metrics = try await LoopbackHTTPClient.send("GET", port: server.port, path: "/metrics").text
            func count(_ outcome: String) -> Int {
                metrics.split(separator: "\n").first { $0.hasPrefix(#"baton_refresh_outcomes_total{outcome="\#(outcome)"} "#) }
                    .flatMap { Int(Double($0.split(separator: " ").last!) ?? -1) } ?? -1
            }
            #expect(count("reuse_detected") == 0)
            #expect(count("dpop_required") + count("dpop_key_mismatch") >= activity.stolenTokensRefused)
        }
    }

    @Test func stormAndMixedWithDPoP() async throws {
        try await BatonServeProcesses.withLoadTarget { server in
            let storm = try await server.load(server.runArguments([
                "--scenario", "storm", "--connections", "10", "--storm-size", "10", "--duration", "2s", "--dpop",
            ]))
            #expect(try expectPassed(storm, .storm).activity.stormRounds > 0)
            let mixed = try await server.load(server.runArguments([
                "--scenario", "mixed", "--users", "8", "--connections", "4", "--duration", "2s", "--dpop",
                "--mix", "create=1,refresh=4,introspect=1,revoke=1",
            ]))
            let report = try expectPassed(mixed, .mixed)
            #expect((report.operations["revoke"]?.requests ?? 0) > 0)
        }
    }

    @Test func revokedSessionsMidRunFailTheRun() async throws {
        try await BatonServeProcesses.withLoadTarget { server in
            let runID = "neg\(Int.random(in: 1_000...9_999))"
            let (child, finish) = try server.startLoad(server.runArguments([
                "--scenario", "refresh", "--users", "4", "--connections", "2", "--duration", "4s", "--run-id", runID,
            ]))
            // Once the harness's users hold their sessions and refresh, log them all out.
            for _ in 0..<500 {
                if try await server.sessionCount(of: "load-\(runID)-u3") > 0 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            try await Task.sleep(for: .milliseconds(500))
            #expect(child.isRunning)
            for user in 0..<4 {
                #expect(try await server.revokeSessions(of: "load-\(runID)-u\(user)") == 200)
            }
            let run = await finish()
            #expect(run.status == 1, "\(run.output)")
            let report = try #require(run.report)
            #expect(!report.passed && report.correctness.loggedOutByFault > 0 && report.loggedOutByFault == report.correctness.loggedOutByFault)
            #expect(run.output.contains("logged out by fault: \(report.loggedOutByFault)"), "\(run.output)")
            #expect(run.output.contains("FAILED") && run.output.contains("CORRECTNESS FAILURES"))
        }
    }

    @Test func aWrongAdminTokenIsASetupFailure() async throws {
        try await BatonServeProcesses.withLoadTarget { server in
            let run = try await server.load(["run", "--url", server.url, "--admin-token", "not-the-admin-token-7f3a", "--duration", "1s"])
            #expect(run.status == 2, "\(run.output)")
            #expect(run.output.contains("admin token"), "\(run.output)")
            #expect(!run.output.contains("not-the-admin-token-7f3a"))
        }
    }

    @Test func overheadComparesWithWrk() async throws {
        try await BatonServeProcesses.withLoadTarget { server in
            let run = try await server.load(["overhead", "--url", server.url, "--connections", "4", "--duration", "1s", "--warmup", "0s", "--rounds", "1"])
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.contains("% of wrk"), "\(run.output)")
            #expect(run.output.contains("(1 thread, normal scheduling)"), "like wrk: \(run.output)")
        }
    }
}
