@testable import BatonLoad
import Foundation
import Testing

@Suite struct RunReportTests {
    @Test func jsonHasTheDocumentedFields() throws {
        let report = try SampleReport.make()
        let object = try #require(try JSONSerialization.jsonObject(with: report.json()) as? [String: Any])
        for key in ["baton_load", "scenario", "mode", "targets", "connections", "rate", "users", "threads", "scheduling", "duration_s",
                    "requests", "successes", "throughput", "latency_ms", "operations", "correctness", "correctness_failures",
                    "transport_errors", "activity", "unsent", "timeline", "settings", "machine", "started_at", "passed", "notes",
                    "request_limit"] {
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
        #expect(Set(correctness.keys) == ["unexpected_status", "false_reuse_detections", "broken_chains",
                                          "missed_theft_detections", "storm_divergences", "failed_verifications",
                                          "transport_errors"])
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
        let report = try SampleReport.make(falseReuse: 3)
        #expect(!report.passed)
        #expect(report.correctness.falseReuseDetections == 3 && report.correctnessFailures == 3)
        #expect(report.timeline[2].errors == 3)
        #expect(report.summary().contains("FAILED: 3 correctness failures (false_reuse_detections 3)"))
        #expect(try SampleReport.make().summary().contains("PASSED"))
    }
}
