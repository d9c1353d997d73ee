import BatonCore
import BatonCrypto
import Logging
import ServiceLifecycle

/// `--rotate-every`: checks the keyset on a short beat and rotates when the newest key is a
/// period old. The rotation lock and the keyset check under it make one worker do each rotation.
struct RotationScheduler: Service {
    let keys: KeyManager
    let keyring: Keyring
    let period: Int64
    let lead: Int64
    let algorithm: SigningAlgorithm
    let logger: Logger

    func run() async throws {
        let beat = Duration.milliseconds(max(100, min(10_000, period * 1000 / 4)))
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let now = WallClock.milliseconds() / 1000
                    if try await keys.rotateIfDue(period: period, lead: lead, algorithm: algorithm, now: now) {
                        logger.notice("scheduled key rotation", metadata: ["baton.rotation.lead": "\(lead)"])
                        try? await keyring.reload()
                    }
                } catch {
                    logger.warning("scheduled rotation failed; will try again", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: beat)
            }
        }
    }
}
