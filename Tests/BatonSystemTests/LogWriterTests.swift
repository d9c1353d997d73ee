import BatonSystem
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The log writer: lines from many threads arrive whole and in each thread's order; a reader that
/// stops reading costs dropped, counted lines — never a blocked caller.
@Suite struct LogWriterTests {
    /// Reads everything from `descriptor` until it closes.
    private func readAll(_ descriptor: Int32) -> Task<[UInt8], Never> {
        Task.detached {
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(descriptor, &buffer, buffer.count)
                if count <= 0 { return bytes }
                bytes += buffer.prefix(count)
            }
        }
    }

    @Test func linesFromManyThreadsArriveWholeAndInOrder() async throws {
        var pipe: [Int32] = [0, 0]
        #expect(closeOnExecPipe(&pipe) == 0)
        let reading = readAll(pipe[0])
        let writer = LogWriter(fileDescriptor: pipe[1])
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for index in 0..<5_000 { writer.write(Array("thread \(thread) line \(index)\n".utf8)) }
        }
        writer.flush()
        close(pipe[1])
        let lines = String(decoding: await reading.value, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 20_000 && writer.dropped == 0)
        for thread in 0..<4 {
            let own = lines.filter { $0.hasPrefix("thread \(thread) ") }
            #expect(own == (0..<5_000).map { "thread \(thread) line \($0)"[...] })
        }
        close(pipe[0])
    }

    @Test func aReaderThatStopsCostsDroppedLinesNotABlockedCaller() async throws {
        var pipe: [Int32] = [0, 0]
        #expect(closeOnExecPipe(&pipe) == 0)
        let writer = LogWriter(fileDescriptor: pipe[1], capacity: 4096)
        let line = Array((String(repeating: "x", count: 99) + "\n").utf8)
        let started = ContinuousClock.now
        for _ in 0..<20_000 { writer.write(line) }  // 2 MB into a 64 KiB pipe nobody reads
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(writer.dropped > 10_000)
        let reading = readAll(pipe[0])
        writer.flush()
        close(pipe[1])
        let delivered = await reading.value
        #expect(delivered.count == (20_000 - writer.dropped) * 100)
        #expect(delivered.allSatisfy { $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "\n") })
        close(pipe[0])
    }
}

/// A pipe whose ends no child process inherits (a spawned server holding the write end would keep
/// the reader from ever seeing it close).
private func closeOnExecPipe(_ ends: inout [Int32]) -> Int32 {
    guard Glibc.pipe(&ends) == 0 else { return -1 }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    return 0
}
