/// Rotates the signing key through the admin API every `--rotate-every` during the rotation
/// scenario (`now: true`: the new key signs at once), cycling through the algorithms.
struct KeyRotator: Sendable {
    /// What the rotator did.
    struct Tally: Sendable {
        var rotations = 0
        var failures = 0
        var lastFailure: String?
    }

    let admin: AdminClient
    let interval: Duration
    let algorithms: [String]

    init(admin: AdminClient, configuration: RunConfiguration) {
        self.admin = admin
        self.interval = configuration.rotateEvery
        self.algorithms = configuration.rotationAlgorithms
    }

    /// Rotates every `interval` (on a fixed cadence; a slow rotation delays only the next one)
    /// until cancelled.
    func run() async -> Tally {
        var tally = Tally()
        var next = ContinuousClock.now
        while true {
            next = max(next + interval, .now)
            do {
                try await Task.sleep(until: next)
            } catch {
                return tally
            }
            do {
                try await admin.rotateKey(algorithm: algorithms[tally.rotations % algorithms.count])
                tally.rotations += 1
            } catch {
                tally.failures += 1
                tally.lastFailure = "\(error)"
            }
        }
    }
}
