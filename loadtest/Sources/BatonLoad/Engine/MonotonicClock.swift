import NIOCore

/// Monotonic time in nanoseconds, cheap enough to read around every request.
enum MonotonicClock {
    /// Now, in nanoseconds since an arbitrary start.
    @inline(__always)
    static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }
}
