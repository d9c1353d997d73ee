/// Fixed-window request counters shared by every worker.
public protocol RateLimitStore: Sendable {
    /// Counts one request against each `(key, limit)`; nil if every limit holds, else the
    /// milliseconds until the fullest window ends.
    func hit(_ counters: [(key: String, limit: Int)], windowMilliseconds: Int64) async throws -> Int64?
}
