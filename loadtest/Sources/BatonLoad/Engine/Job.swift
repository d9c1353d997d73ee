/// One request in flight: which user it is for, what it does, and when it was meant to be sent.
struct Job {
    /// The index of the user in its loop's pool, or -1 for requests without a user.
    var user: Int
    /// What the request does.
    var operation: Operation
    /// The intended send time (monotonic nanoseconds): the schedule's time in an open loop, the
    /// actual send time in a closed loop. Latency is measured from it.
    var intended: UInt64
    /// Whether the request belongs to the unmeasured setup phase.
    var isSetup: Bool
}
