#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The machine's real-time clock (`CLOCK_REALTIME`).
public struct SystemClock: WallClock {
    /// The system clock.
    public init() {}

    /// Milliseconds since 1970, read from the system.
    public func milliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
