/// The human summary printed at the end of a run.
extension RunReport {
    /// One line naming the run's configuration (also the plot's title).
    public var headline: String {
        var parts = ["\(scenario)", mode == "open" ? "open loop at \(Format.integer(Int(rate ?? 0))) req/s" : "closed loop",
                     "\(connections) connections"]
        if users > 0 { parts.append("\(users) users") }
        if settings.dpop == true { parts.append(settings.dpopNonce == true ? "DPoP with nonces" : "DPoP") }
        parts.append("\(threads) thread\(threads == 1 ? "" : "s") (\(scheduling) scheduling)")
        return parts.joined(separator: ", ")
    }

    /// The summary table: throughput, latency per operation, correctness counters, the faults a
    /// failover shows (503s, transport errors, sessions logged out by them), verdict.
    public func summary() -> String {
        var lines = ["baton-load \(harness.version): \(headline)"]
        lines.append("targets    \(targets.joined(separator: " "))")
        lines.append("measured   \(Format.decimal(durationS)) s, \(Format.integer(requests)) requests, "
                     + "\(Format.integer(successes)) successes, \(Format.integer(Int(throughput.rounded()))) req/s")
        lines.append("")
        let columns = ["p50", "p90", "p99", "p99.9", "max"]
        lines.append(pad("latency (ms)", 16) + columns.map { Format.leftPad($0, 9) }.joined() + Format.leftPad("requests", 11))
        func row(_ name: String, _ latency: LatencySummary, _ count: Int) -> String {
            pad(name, 16) + [latency.p50, latency.p90, latency.p99, latency.p99_9, latency.max]
                .map { Format.leftPad(Format.decimal($0), 9) }.joined() + Format.leftPad(Format.integer(count), 11)
        }
        lines.append(row("all", latencyMs, requests))
        if operations.count > 1 {
            for operation in Operation.allCases {
                guard let report = operations[operation.description] else { continue }
                lines.append(row("  \(operation)", report.latencyMs, report.requests))
            }
        }
        lines.append("")
        lines.append("correctness")
        for (name, count) in correctness.named {
            lines.append("  " + pad(name, 26) + Format.leftPad(String(count), 8) + (count > 0 ? "   <-- FAILED" : ""))
        }
        lines.append("faults     503 unavailable: \(Format.integer(unavailable)), transport errors: "
                     + "\(Format.integer(transportErrors)), logged out by fault: \(Format.integer(loggedOutByFault))")
        let activityLine = activitySummary()
        if !activityLine.isEmpty { lines.append("activity   \(activityLine)") }
        if unsent > 0 { lines.append("unsent     \(Format.integer(unsent)) (the open loop fell behind its schedule)") }
        for note in notes { lines.append("note       \(note)") }
        lines.append("")
        let expected: Set = settings.faultsExpected == true ? ["unavailable", "transport_errors"] : []
        if passed {
            lines.append(expected.isEmpty ? "PASSED: no correctness failures"
                         : "PASSED: no correctness failures (503s and transport errors expected: --expect-faults)")
        } else {
            let failed = correctness.named.filter { $0.count > 0 && !expected.contains($0.name) }
                .map { "\($0.name) \($0.count)" }.joined(separator: ", ")
            lines.append("FAILED: \(correctnessFailures) correctness failures (\(failed))")
        }
        return lines.joined(separator: "\n")
    }

    private func activitySummary() -> String {
        let items: [(String, Int)] = [
            ("sessions created", activity.sessionsCreated), ("users replaced", activity.usersReplaced),
            ("storm rounds", activity.stormRounds), ("theft attempts", activity.theftAttempts),
            ("thefts detected", activity.theftsDetected),
            ("stolen tokens refused without the key", activity.stolenTokensRefused),
            ("families left alive", activity.familiesLeftAlive), ("DPoP nonce retries", activity.dpopNonceRetries),
            ("tokens verified", activity.tokensVerified),
            ("JWKS fetches", activity.jwksFetches), ("key rotations", activity.keyRotations),
        ]
        return items.filter { $0.1 > 0 }.map { "\($0.0) \(Format.integer($0.1))" }.joined(separator: ", ")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
