import Synchronization

/// A clock that moves only when told to: tests step through grace windows, expiries and key
/// lifetimes without sleeping.
public final class ManualClock: WallClock {
    private let now: Mutex<Int64>

    /// A clock showing `milliseconds` since 1970.
    public init(milliseconds: Int64) {
        now = Mutex(milliseconds)
    }

    /// The time it shows.
    public func milliseconds() -> Int64 { now.withLock { $0 } }

    /// Moves the clock forward (or back, for a negative step).
    public func advance(byMilliseconds step: Int64) {
        now.withLock { $0 += step }
    }

    /// Sets the time it shows.
    public func set(milliseconds: Int64) {
        now.withLock { $0 = milliseconds }
    }
}
