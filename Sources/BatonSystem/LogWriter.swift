import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Log lines written by a thread of their own: a caller (an event loop answering requests) only
/// appends its line to a buffer and goes on; the writer thread wakes every 10 ms (or as soon as
/// 64 KiB are waiting) and hands everything buffered to the file descriptor in one `write`. When the buffer holds `capacity` bytes the line is
/// dropped and counted instead of making the caller wait (a stalled log reader must not stall
/// the service).
///
/// ```swift
/// let writer = LogWriter.standardError
/// writer.write(Array("hello\n".utf8))
/// writer.flush()   // before the process exits
/// ```
public final class LogWriter: Sendable {
    /// Standard error's writer, shared by every log handler of the process.
    public static let standardError = LogWriter(fileDescriptor: 2)

    private struct State {
        var pending: [UInt8] = []
        var writing = false
    }

    private let fileDescriptor: Int32
    private let capacity: Int
    private let state = Mutex(State())
    private let wake = NSCondition()
    private let droppedLines = Atomic<Int>(0)

    /// A writer to `fileDescriptor` (not closed by it) buffering at most `capacity` bytes.
    public init(fileDescriptor: Int32, capacity: Int = 4 << 20) {
        self.fileDescriptor = fileDescriptor
        self.capacity = capacity
        let thread = Thread { [self] in drain() }
        thread.name = "baton-log-writer"
        thread.start()
    }

    /// Lines dropped because the buffer was full.
    public var dropped: Int { droppedLines.load(ordering: .relaxed) }

    /// Queues `line` (which ends with its newline) and returns at once.
    public func write(_ line: [UInt8]) {
        let waiting = state.withLock { state -> Int? in
            guard state.pending.count + line.count <= capacity else { return nil }
            state.pending.append(contentsOf: line)
            return state.pending.count
        }
        guard let waiting else {
            droppedLines.wrappingAdd(1, ordering: .relaxed)
            return
        }
        // Waking the thread costs a system call: only when much is waiting (else it wakes by itself).
        if waiting >= Self.wakeThreshold { wake.signal() }
    }

    private static let wakeThreshold = 64 << 10

    /// Waits until every line queued so far has been written.
    public func flush() {
        while state.withLock({ !$0.pending.isEmpty || $0.writing }) {
            wake.signal()
            usleep(1000)
        }
    }

    private func drain() {
        var batch: [UInt8] = []
        while true {
            wake.lock()
            _ = wake.wait(until: Date(timeIntervalSinceNow: 0.01))
            while state.withLock({ $0.pending.isEmpty }) { _ = wake.wait(until: Date(timeIntervalSinceNow: 0.01)) }
            wake.unlock()
            // The batch and the pending buffer trade places, so both keep their capacity.
            state.withLock { state in
                state.writing = true
                swap(&state.pending, &batch)
            }
            batch.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        break  // nowhere to write (a closed descriptor): the lines are lost, the service goes on
                    }
                }
            }
            batch.removeAll(keepingCapacity: true)
            state.withLock { $0.writing = false }
        }
    }
}
