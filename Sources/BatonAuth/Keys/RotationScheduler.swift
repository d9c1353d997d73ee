import BatonCore
import BatonCrypto
import Logging
import ServiceLifecycle

/// `--rotate-every`: checks the keyset on a short beat and rotates when the newest key is a
/// period old. The rotation lock and the keyset check under it make one worker do each rotation.
public struct RotationScheduler: Service {
    let keys: KeyManager
    let keyring: Keyring
    let period: Int64
    let lead: Int64
    let algorithm: SigningAlgorithm
    let logger: Logger

    /// A scheduler rotating every `period` seconds with `lead` seconds of publication first.
    public init(keys: KeyManager, keyring: Keyring, period: Int64, lead: Int64, algorithm: SigningAlgorithm, logger: Logger) {
        self.keys = keys
        self.keyring = keyring
        self.period = period
        self.lead = lead
        self.algorithm = algorithm
        self.logger = logger
    }

    public func run() async throws {
        let beat = Duration.milliseconds(max(100, min(10_000, period * 1000 / 4)))
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    if try await keys.rotateIfDue(period: period, lead: lead, algorithm: algorithm) {
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

extension RotationScheduler: RedactedDescription {
    /// Its schedule; not the key manager, which holds the sealing key.
    public var publicFields: KeyValuePairs<String, Any> { ["period": period, "lead": lead, "algorithm": algorithm.rawValue] }
}
