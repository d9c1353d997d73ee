import ArgumentParser

/// Benchmarks that measure Baton's building blocks next to the machine's own limits.
@main
struct BatonBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton-bench",
        abstract: "Measure Baton's building blocks against the machine's own limits.",
        subcommands: [CryptoBenchmark.self]
    )
}
