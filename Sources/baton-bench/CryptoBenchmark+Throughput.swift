import Foundation

extension CryptoBenchmark {
    /// How many times per second `operation` runs, summed over `threads` threads each running it in a
    /// loop for `seconds`.
    static func operationsPerSecond(
        threads: Int, seconds: Int, _ operation: @escaping @Sendable () throws -> Void
    ) throws -> Double {
        let results = ThreadResults()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let clock = ContinuousClock()
            let start = clock.now
            let deadline = start + .seconds(seconds)
            var count = 0
            do {
                while clock.now < deadline {
                    for _ in 0..<8 { try operation() }
                    count += 8
                }
                let elapsed = start.duration(to: clock.now)
                results.add(Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
            } catch {
                results.fail(error)
            }
        }
        return try results.total()
    }

    /// Per-thread rates (and the first error), collected under a lock at the end of each thread's run.
    private final class ThreadResults: @unchecked Sendable {
        private let lock = NSLock()
        private var sum = 0.0
        private var error: (any Error)?

        func add(_ rate: Double) {
            lock.withLock { sum += rate }
        }

        func fail(_ error: any Error) {
            lock.withLock { self.error = self.error ?? error }
        }

        func total() throws -> Double {
            try lock.withLock {
                if let error { throw error }
                return sum
            }
        }
    }
}
