/// Where the domain learns the time of day: milliseconds since 1970. Services take one at
/// construction; only the composition root (`baton`'s commands, `BatonApplication.build`) picks
/// `SystemClock`, and tests pass a `ManualClock` instead of sleeping.
///
/// ```swift
/// let clock = ManualClock(milliseconds: 1_800_000_000_000)
/// clock.advance(byMilliseconds: 10_001)   // past a 10 s grace window, without waiting
/// ```
public protocol WallClock: Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    func milliseconds() -> Int64
}

extension WallClock {
    /// Whole seconds since 1970 (the unit of JWT times and key transitions).
    public func seconds() -> Int64 { milliseconds() / 1000 }
}
