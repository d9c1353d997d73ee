import BatonLocalServers
import BatonSystem
import Foundation
import Testing
@testable import baton_bench

/// `libBatonAllocCount.so` (loadtest/alloccount) preloaded into a real process counts exactly the
/// allocations it makes, readable from outside while it runs.
@Suite struct AllocationCounterTests {
    static let library = packageRoot + "/.build/debug/libBatonAllocCount.so"

    /// Allocations of a Python process that makes `buffers` 4 KiB buffers (each a malloc, as
    /// pymalloc hands anything over 512 bytes to malloc) after the same start-up.
    private func allocations(buffers: Int) async throws -> UInt64 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alloccount-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let counter = AllocationCounter(path: directory + "/count")
        let process = try ChildProcess.spawn("/usr/bin/python3", ["-c", "for _ in range(\(buffers)): bytearray(4096)"],
                                             environment: counter.environment(library: Self.library))
        #expect(await process.waitForExit() == 0)
        return try counter.read()
    }

    @Test func everyMallocIsCountedOnce() async throws {
        #expect(FileManager.default.fileExists(atPath: Self.library), "swift build --build-tests builds the library")
        let baseline = try await allocations(buffers: 0)
        let more = try await allocations(buffers: 10_000)
        #expect(baseline > 100, "the interpreter's start-up allocates")
        #expect((10_000...10_100).contains(more - baseline), "\(more) - \(baseline)")
    }
}
