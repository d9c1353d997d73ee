/// Exponential reconnect delays with jitter: initial, 2×, 4×, … capped at a maximum.
struct Backoff: Sendable {
    let initial: Duration
    let maximum: Duration
    private(set) var attempt = 0

    init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay before the next attempt (between 50% and 100% of the exponential step).
    mutating func next() -> Duration {
        let step = min(initial * (1 << min(attempt, 20)), maximum)
        attempt += 1
        return step * Double.random(in: 0.5...1.0)
    }

    /// Starts over after a success.
    mutating func reset() { attempt = 0 }
}
