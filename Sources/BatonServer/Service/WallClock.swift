#if canImport(Glibc)
import Glibc
#endif

/// The wall clock, read in one place so the domain never calls it directly (tests pass times in).
public enum WallClock {
    /// Milliseconds since 1970.
    public static func milliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
