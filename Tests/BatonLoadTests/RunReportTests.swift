@testable import BatonLoad
import Foundation
import Testing

@Suite struct RunReportTests {
    @Test func jsonHasTheDocumentedFields() throws {
        let report = try SampleReport.make()
        let object = try #require(try JSONSerialization.jsonObject(with: report.json()) as? [String: Any])
        for key in ["baton_load", "scenario", "mode", "targets", "connections", "rate", "users", "threads", "scheduling", "duration_s",
                    "requests", "successes", "throughput", "latency_ms", "operations", "correctness", "correctness_failures",
                    "unavailable", "transport_errors", "logged_out_by_fault", "activity", "unsent", "timeline", "settings", "machine",
                    "started_at", "passed", "notes", "request_limit"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["rate"] is NSNull && object["request_limit"] is NSNull)
        #expect(object["scenario"] as? String == "refresh")
        #expect(object["mode"] as? String == "closed")
        #expect(object["scheduling"] as? String == "batch")
        #expect(object["requests"] as? Int == 1_500)
        #expect(object["throughput"] as? Double == 300)
        let latency = try #require(object["latency_ms"] as? [String: Double])
        #expect(Set(latency.keys) == ["p50", "p90", "p99", "p99.9", "max", "mean"])
        #expect(latency["p50"]! > 0.5 && latency["p50"]! <= latency["p99"]! && latency["p99"]! <= latency["max"]!)
        let correctness = try #require(object["correctness"] as? [String: Int])
        #expect(Set(correctness.keys) == ["unexpected_status", "unavailable", "logged_out_by_fault", "broken_chains",
                                          "missed_theft_detections", "families_killed", "storm_divergences",
                                          "failed_verifications", "transport_errors"])
        let activity = try #require(object["activity"] as? [String: Int])
        #expect(Set(activity.keys) == ["sessions_created", "users_replaced", "storm_rounds", "theft_attempts", "thefts_detected",
                                       "stolen_tokens_refused", "families_left_alive", "dpop_nonce_retries", "tokens_verified",
                                       "jwks_fetches", "key_rotations"])
        let timeline = try #require(object["timeline"] as? [[String: Any]])
        #expect(timeline.count == 5)
        #expect(Set(timeline[0].keys) == ["t", "requests", "errors", "throughput", "p50", "p99"])
        let machine = try #require(object["machine"] as? [String: Any])
        #expect((machine["cores"] as? Int ?? 0) >= 1 && machine["kernel"] is String && machine["cpu_model"] is String)
        let harness = try #require(object["baton_load"] as? [String: Any])
        #expect(harness["version"] as? String == BatonLoadVersion.current)
        #expect(object["passed"] as? Bool == true)
    }

    @Test func roundTripsAndNeverCarriesTheAdminToken() throws {
        let report = try SampleReport.make()
        let json = try report.json()
        #expect(try JSONDecoder().decode(RunReport.self, from: json) == report)
        #expect(!String(decoding: json, as: UTF8.self).contains("not-in-the-report"))
    }

    @Test func aCorrectnessFailureFailsTheRunLoudly() throws {
        let report = try SampleReport.make(loggedOutByFault: 3)
        #expect(!report.passed)
        #expect(report.correctness.loggedOutByFault == 3 && report.correctnessFailures == 3)
        #expect(report.timeline[2].errors == 3)
        #expect(report.summary().contains("FAILED: 3 correctness failures (logged_out_by_fault 3)"))
        #expect(try SampleReport.make().summary().contains("PASSED"))
    }

    @Test func aFaultRunShowsLogoutsNextTo503sAndTransportErrors() throws {
        let report = try SampleReport.make(loggedOutByFault: 2, unavailable: 40, transportErrors: 5)
        #expect(report.unavailable == 40 && report.transportErrors == 5 && report.loggedOutByFault == 2)
        #expect(report.correctness.unexpectedStatus == 0 && report.correctnessFailures == 47 && !report.passed)
        let summary = report.summary()
        #expect(summary.contains("faults     503 unavailable: 40, transport errors: 5, logged out by fault: 2"), "\(summary)")
        #expect(summary.contains("FAILED: 47 correctness failures (unavailable 40, logged_out_by_fault 2, transport_errors 5)"))
        let object = try #require(try JSONSerialization.jsonObject(with: report.json()) as? [String: Any])
        #expect(object["unavailable"] as? Int == 40 && object["transport_errors"] as? Int == 5)
        #expect(object["logged_out_by_fault"] as? Int == 2)
        let correctness = try #require(object["correctness"] as? [String: Int])
        #expect(correctness["logged_out_by_fault"] == 2 && correctness["unavailable"] == 40)
        // Printed in every run, not only when something failed.
        #expect(try SampleReport.make().summary().contains("logged out by fault: 0"))
    }

    @Test func aRunThatExpectsFaultsFailsOnlyOnLogouts() throws {
        var report = try SampleReport.make(unavailable: 40, transportErrors: 5)
        report.settings.faultsExpected = true
        #expect(report.passed && report.correctnessFailures == 0)
        #expect(report.summary().contains("PASSED: no correctness failures (503s and transport errors expected: --expect-faults)"))
        #expect(report.summary().contains("faults     503 unavailable: 40, transport errors: 5, logged out by fault: 0"))
        var loggedOut = try SampleReport.make(loggedOutByFault: 2, unavailable: 40, transportErrors: 5)
        loggedOut.settings.faultsExpected = true
        #expect(!loggedOut.passed && loggedOut.correctnessFailures == 2)
        #expect(loggedOut.summary().contains("FAILED: 2 correctness failures (logged_out_by_fault 2)"), "\(loggedOut.summary())")
        #expect(try JSONDecoder().decode(RunReport.self, from: loggedOut.json()) == loggedOut)
    }
}
