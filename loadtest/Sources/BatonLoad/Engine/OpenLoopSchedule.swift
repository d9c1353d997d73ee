/// The intended send times of an open loop: ticket `k` is due at `start + offset + k / rate`.
/// Latency is measured from these times, so a server that stalls is charged for every request
/// that should have gone out meanwhile (no coordinated omission).
public struct OpenLoopSchedule: Sendable, Equatable {
    /// Monotonic nanoseconds of ticket 0.
    public let start: UInt64
    /// Nanoseconds between tickets.
    public let interval: Double

    /// A schedule of `rate` requests per second whose first ticket is due at `start`.
    public init(start: UInt64, rate: Double) {
        precondition(rate > 0, "an open loop needs a positive rate")
        self.start = start
        self.interval = 1e9 / rate
    }

    /// The intended send time of ticket `index`.
    public func time(of index: Int) -> UInt64 {
        start + UInt64((Double(index) * interval).rounded())
    }

    /// How many tickets are due at `now` (those with an intended time at or before it).
    public func ticketsDue(at now: UInt64) -> Int {
        guard now >= start else { return 0 }
        return Int((Double(now - start) / interval).rounded(.down)) + 1
    }
}
