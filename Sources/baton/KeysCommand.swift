import ArgumentParser
import BatonCrypto
import BatonAuth
import BatonServer
import BatonRedis
import Foundation

/// `baton keys rotate|list|revoke`: the signing-key lifecycle, broadcast to every worker.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Rotate, list and revoke signing keys.",
        subcommands: [Rotate.self, List.self, Revoke.self]
    )

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a new signing key now; it signs after the lead time and the current key retires then.")

        @OptionGroup var store: StoreOptions

        @Option(help: "ES256, EdDSA or RS256.")
        var alg: String = "ES256"

        @Option(help: "Lead time before the new key signs (e.g. 300, 5m, 1h): resource servers fetch it meanwhile.")
        var lead: String = "5m"

        @Flag(help: "Sign with the new key at once (first boot, tests, emergencies).")
        var now = false

        func run() async throws {
            guard let algorithm = SigningAlgorithm(rawValue: alg) else { throw ValidationError("--alg must be ES256, EdDSA or RS256") }
            let leadSeconds = now ? 0 : try parseSeconds(lead, option: "--lead")
            let record = try await store.withKeyManager { try await $0.rotate(algorithm: algorithm, lead: leadSeconds) }
            let activation = Date(timeIntervalSince1970: Double(record.activatesAt))
            print("published \(record.keyID) (\(record.algorithm)); it signs from \(activation)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keyset with each key's state.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            for key in try await store.withKeyManager({ try await $0.list() }) {
                let activates = Date(timeIntervalSince1970: Double(key.activates_at))
                print("\(key.kid)\t\(key.alg)\t\(key.state)\tactivates \(activates)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key at once (compromise): unpublished, its tokens rejected; a replacement signs immediately.")

        @OptionGroup var store: StoreOptions

        @Argument(help: "The kid to revoke.")
        var keyID: String

        @Option(help: "Algorithm of a replacement key, if one must be generated.")
        var alg: String = "ES256"

        func run() async throws {
            guard let algorithm = SigningAlgorithm(rawValue: alg) else { throw ValidationError("--alg must be ES256, EdDSA or RS256") }
            let revoked = try await store.withKeyManager { try await $0.revoke(keyID, algorithm: algorithm) }
            guard revoked else { throw ValidationError("no key \(keyID)") }
            print("revoked \(keyID)")
        }
    }
}

/// Seconds from `300`, `30s`, `5m`, `2h` or `1d`.
func parseSeconds(_ text: String, option: String) throws -> Int64 {
    let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
    if let value = Int64(text), value >= 0 { return value }
    guard let unit = text.last, let factor = units[unit], let value = Int64(text.dropLast()), value >= 0 else {
        throw ValidationError("\(option) takes seconds or a duration like 30s, 5m, 24h, 7d (not '\(text)')")
    }
    return value * factor
}

extension StoreOptions {
    /// Runs `body` with the key operations on a connected Redis (they need the master secret).
    func withKeyManager<T>(_ body: (KeyManager) async throws -> T) async throws -> T {
        let secret = try requiredMasterSecret(for: "key operations")
        return try await withRedis { redis in try await body(try BatonApplication.keyManager(redis: redis, masterSecret: secret)) }
    }
}
