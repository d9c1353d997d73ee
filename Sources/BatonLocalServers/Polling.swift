/// Checks `condition` every `interval` until it holds; returns how long that took, or throws
/// `LocalServerError` naming `what` once `timeout` has passed. The one way tests and fixtures wait
/// for something that happens elsewhere (a process, a server, a broadcast), instead of sleeping a
/// fixed time and hoping.
///
/// ```swift
/// try await poll("the worker to restart", timeout: .seconds(5)) { try pids().count == 2 }
/// ```
@discardableResult
public func poll(_ what: String, timeout: Duration, every interval: Duration = .milliseconds(10),
                 until condition: () async throws -> Bool) async throws -> Duration {
    let started = ContinuousClock.now
    while true {
        if try await condition() { return ContinuousClock.now - started }
        guard ContinuousClock.now - started < timeout else {
            throw LocalServerError("timed out after \(timeout) waiting for \(what)")
        }
        try await Task.sleep(for: interval)
    }
}
