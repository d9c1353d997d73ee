import BatonLocalServers
import Foundation

/// The count `libBatonAllocCount.so` keeps in a file shared with the process it is preloaded into.
struct AllocationCounter: RunningCount {
    let path: String

    /// What the counted process needs in its environment.
    func environment(library: String) -> [String: String] {
        ["LD_PRELOAD": library, "BATON_ALLOC_COUNT_FILE": path]
    }

    /// The allocations counted so far.
    func read() throws -> UInt64 {
        guard let data = FileManager.default.contents(atPath: path), data.count >= 8 else {
            throw LocalServerError("no allocation count in \(path): was the library preloaded?")
        }
        return data.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }
}
