import ArgumentParser

/// `baton-load`: Baton's load-test harness.
@main
struct BatonLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton-load",
        abstract: "Load-tests Baton's refresh path and checks its correctness under load.",
        discussion: """
        Exit codes: 0 the run passed; 1 correctness failures (unexpected statuses, false reuse detections, \
        broken chains, missed theft detections, families killed by a thief without the DPoP key, storm divergences, \
        failed verifications, transport errors); \
        2 setup failed (targets unreachable, admin API refused, sessions not created); 64 bad usage.
        """,
        subcommands: [RunCommand.self, OverheadCommand.self]
    )
}
