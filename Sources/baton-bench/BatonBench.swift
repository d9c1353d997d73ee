import ArgumentParser
import Foundation

/// Benchmarks of Baton's building blocks next to the machine's own limits.
@main
struct BatonBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton-bench",
        abstract: "Benchmarks of Baton's building blocks next to the machine's own limits.",
        subcommands: [RefreshBenchmark.self, AllocationBenchmark.self, InstructionBenchmark.self, ClusterBenchmark.self, LimitsBenchmark.self, RedisBenchmark.self, CryptoBenchmark.self]
    )

    /// The directory this executable was built into, which also holds the package's other
    /// products (`baton`, `baton-load`, `baton-floor`) of the same build.
    static func productsDirectory() throws -> String {
        URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .deletingLastPathComponent().path
    }
}
