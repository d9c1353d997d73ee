import ArgumentParser
import BatonLoad
import Foundation

/// Where the load goes and how the harness runs: shared by every command.
struct TargetOptions: ParsableArguments {
    @Option(name: .customLong("url"), help: "Base URL of a worker or load balancer (repeatable; connections spread round robin).")
    var urls: [String] = ["http://127.0.0.1:8080"]

    @Option(help: "Keep-alive connections.")
    var connections = 16

    @Option(help: "How long to measure (e.g. 10s, 500ms, 2m); with --requests, the cap (default then 10m). (default: 10s)")
    var duration: String?

    @Option(help: "Event-loop threads of the harness (1 leaves the other core to the server on a 2-core machine).")
    var threads = 1

    @Option(help: "The harness threads' scheduling: batch (SCHED_BATCH: responses waking the harness do not preempt the server's processes on a shared machine) or normal. (default: batch for run; normal for overhead, as wrk runs)")
    var scheduling: ThreadScheduling?

    @Option(help: "How long a request may go unanswered before it counts as a transport error.")
    var timeout = "5s"

    /// The parsed targets.
    func targets() throws -> [LoadTarget] {
        try urls.map(LoadTarget.init(parsing:))
    }
}

extension CommandLine {
    /// The command line with the values of secret options replaced by `***`.
    static var redactedArguments: [String] {
        var redacted: [String] = []
        var hideNext = false
        for argument in arguments {
            if hideNext {
                redacted.append("***")
                hideNext = false
            } else if argument == "--admin-token" {
                redacted.append(argument)
                hideNext = true
            } else if argument.hasPrefix("--admin-token=") {
                redacted.append("--admin-token=***")
            } else {
                redacted.append(argument)
            }
        }
        return redacted
    }
}

extension ThreadScheduling: ExpressibleByArgument {}
