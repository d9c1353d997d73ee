/// A small, fast pseudo-random generator (xorshift64*) for choosing operations on the hot path;
/// not for anything secret.
struct FastRandom: RandomNumberGenerator {
    private var state: UInt64

    /// A generator seeded from the system's generator.
    init() {
        var system = SystemRandomNumberGenerator()
        state = system.next() | 1
    }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }

    /// A uniform value in `0..<1`.
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
