import Foundation
import Histogram

extension RunReport {
    /// Assembles the report of a finished run from every loop's totals.
    init(configuration: RunConfiguration, plans: [LoopPlan], totals: [LoopTotals], timeline: [TimelinePoint],
         duration: Double, rotations: KeyRotator.Tally?, startedAt: Date, stoppedEarly: Bool = false) {
        var operations = [OperationStats](repeating: OperationStats(), count: Operation.allCases.count)
        var correctness = CorrectnessCounters()
        var activity = ActivityCounters()
        var unsent = 0
        var notes: [String] = []
        for loop in totals {
            for index in operations.indices { operations[index].add(loop.operations[index]) }
            correctness.add(loop.correctness)
            activity.add(loop.activity)
            unsent += loop.unsent
            if let error = loop.lastTransportError { notes.append("last transport error: \(error)") }
            if let problem = loop.verificationProblem { notes.append("verification: \(problem)") }
        }
        if let rotations {
            activity.keyRotations = rotations.rotations
            correctness.unexpectedStatus += rotations.failures
            if let failure = rotations.lastFailure { notes.append("key rotation failed \(rotations.failures)×: \(failure)") }
        }
        var all = LatencyHistogram.make()
        var requests = 0
        var perOperation: [String: OperationReport] = [:]
        for operation in Operation.allCases where operations[operation.rawValue].requests > 0 {
            let stats = operations[operation.rawValue]
            all.add(stats.latencies)
            requests += stats.requests
            perOperation[operation.description] = OperationReport(requests: stats.requests, failures: stats.failures,
                                                                  latencyMs: LatencySummary(stats.latencies))
        }
        if stoppedEarly { notes.append("stopped early by a signal") }
        if let limit = configuration.requests, requests < limit {
            notes.append("\(requests) of --requests \(limit) answered: --duration ended the run first, or requests were lost")
        }
        if unsent > 0 {
            notes.append("the open loop fell behind: \(unsent) requests came due but were never sent")
        }
        let users = configuration.effectiveUsers
        if configuration.scenario.needsUsers && configuration.scenario != .storm && users < configuration.connections {
            notes.append("only \(users) users for \(configuration.connections) connections: at most \(users) requests in flight")
        }
        let scenario = configuration.scenario
        let formatter = ISO8601DateFormatter()
        self.init(
            harness: Harness(version: BatonLoadVersion.current, commandLine: configuration.commandLine),
            scenario: scenario, mode: configuration.isOpenLoop ? "open" : "closed",
            targets: configuration.targets.map(\.description), connections: configuration.effectiveConnections,
            rate: configuration.rate, users: scenario.needsUsers ? users : 0, threads: plans.count,
            scheduling: configuration.scheduling,
            durationS: (duration * 1_000).rounded() / 1_000, requestLimit: configuration.requests,
            requests: requests, throughput: duration > 0 ? (Double(requests) / duration * 10).rounded() / 10 : 0,
            latencyMs: LatencySummary(all), operations: perOperation, correctness: correctness,
            activity: activity, unsent: unsent, timeline: timeline,
            settings: Settings(
                timeoutS: configuration.timeout.seconds,
                mix: scenario == .mixed ? configuration.mix.description : nil,
                stormSize: scenario == .storm ? configuration.stormSize : nil,
                gracePeriodS: scenario.needsUsers ? configuration.clientGracePeriod : nil,
                rotateEveryS: scenario == .rotation ? configuration.rotateEvery.seconds : nil,
                rotationAlgorithms: scenario == .rotation ? configuration.rotationAlgorithms : nil,
                theftRotations: scenario == .theft ? configuration.theftRotations : nil,
                verifyAccessTokens: configuration.verifies, faultsExpected: configuration.faultsExpected ? true : nil,
                dpop: configuration.dpop ? true : nil, dpopNonce: configuration.dpopNonce ? true : nil,
                runID: configuration.runID),
            machine: .current(), startedAt: formatter.string(from: startedAt),
            notes: notes)
    }
}
