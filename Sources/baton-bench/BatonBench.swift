import ArgumentParser

/// Benchmarks of Baton's building blocks next to the machine's own limits.
@main
struct BatonBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton-bench",
        abstract: "Benchmarks of Baton's building blocks next to the machine's own limits.",
        subcommands: [RefreshBenchmark.self, LimitsBenchmark.self, RedisBenchmark.self, CryptoBenchmark.self]
    )
}
