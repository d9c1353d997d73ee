import ArgumentParser
import BatonCrypto

/// Signatures/s per algorithm next to `openssl speed`, on one thread and on all cores.
struct CryptoBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto",
        abstract: "Signatures/s per algorithm next to `openssl speed`, one thread and all cores."
    )

    func run() async throws {
        print("the crypto benchmark lands with the signing keys")
    }
}
