import NIOCore

/// Decides when a loop sends what on which connection: a pure state machine over idle
/// connections (first idle, first used), the open-loop schedule, a request quota and the stop signal. The engine feeds it
/// events and performs what it returns; tests drive it with a synthetic clock.
///
/// - Closed loop: an idle connection sends as soon as a user has work; the intended time is now.
/// - Open loop: ticket `k` may go out once its intended time has come and a connection and a user
///   are free; a ticket that has to wait keeps its intended time, so the wait counts as latency.
public struct Dispatcher: Sendable {
    /// One send decision.
    public struct Send: Sendable, Equatable {
        /// The connection to send on.
        public var connection: Int
        /// The intended send time to measure latency from.
        public var intended: UInt64
    }

    private var idle = CircularBuffer<Int>()
    private let schedule: OpenLoopSchedule?
    private var nextTicket = 0
    private var remaining: Int?
    /// Whether no more requests are sent.
    public private(set) var isStopped = false
    private var stopTime: UInt64?

    /// A closed loop (`schedule == nil`) or an open loop on `schedule`; `quota` caps the requests sent.
    public init(schedule: OpenLoopSchedule?, quota: Int?) {
        self.init(schedule: schedule, quota: quota, idle: CircularBuffer())
    }

    /// Starts a new phase on `schedule` with `quota`, keeping the idle connections.
    public mutating func begin(schedule: OpenLoopSchedule?, quota: Int?) {
        self = Dispatcher(schedule: schedule, quota: quota, idle: idle)
    }

    private init(schedule: OpenLoopSchedule?, quota: Int?, idle: CircularBuffer<Int>) {
        self.schedule = schedule
        self.remaining = quota
        self.idle = idle
    }

    /// Whether the quota has been used up.
    public var quotaExhausted: Bool { remaining == 0 }

    /// A connection is ready for its next request.
    public mutating func connectionIdle(_ connection: Int) {
        idle.append(connection)
    }

    /// A connection went away (closed while idle); it is no longer offered.
    public mutating func connectionGone(_ connection: Int) {
        idle.removeAll { $0 == connection }
    }

    /// The next request to send at `now`, or nil; `workAvailable` says whether a user has work.
    public mutating func next(now: UInt64, workAvailable: Bool) -> Send? {
        guard !isStopped, workAvailable, remaining != 0, let connection = idle.first else { return nil }
        let intended: UInt64
        if let schedule {
            let due = schedule.time(of: nextTicket)
            guard due <= now else { return nil }
            intended = due
            nextTicket += 1
        } else {
            intended = now
        }
        idle.removeFirst()
        if let count = remaining { remaining = count - 1 }
        return Send(connection: connection, intended: intended)
    }

    /// When the engine must wake up to send the next open-loop ticket: its intended time, if it
    /// is still ahead of `now` and a connection and a user would be free for it; otherwise nil.
    public func wakeUp(now: UInt64, workAvailable: Bool) -> UInt64? {
        guard let schedule, !isStopped, workAvailable, remaining != 0, !idle.isEmpty else { return nil }
        let due = schedule.time(of: nextTicket)
        return due > now ? due : nil
    }

    /// Stops sending at `now`.
    public mutating func stop(now: UInt64) {
        guard !isStopped else { return }
        isStopped = true
        stopTime = now
    }

    /// Open-loop tickets that came due before the stop but were never sent: the server (or the
    /// harness's users) fell behind the schedule. A ticket due less than a millisecond before the
    /// stop does not count: its timer may simply not have fired yet.
    public var unsent: Int {
        guard let schedule, let stopTime, stopTime >= 1_000_000 else { return 0 }
        var due = schedule.ticketsDue(at: stopTime - 1_000_000)
        if let remaining { due = min(due, nextTicket + remaining) }
        return max(0, due - nextTicket)
    }
}
