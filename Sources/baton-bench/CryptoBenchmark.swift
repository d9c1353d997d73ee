import ArgumentParser
import BatonCrypto
import Foundation

/// Signatures/s per algorithm next to `openssl speed`, on one thread and on all cores, plus HMAC-SHA256.
///
/// ```sh
/// swift build -c release --product baton-bench && .build/release/baton-bench crypto
/// ```
struct CryptoBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto",
        abstract: "Signatures/s per algorithm next to `openssl speed`, one thread and all cores."
    )

    @Option(help: "Seconds per measurement (ours and openssl speed).")
    var seconds: Int = 3

    @Option(help: "One-thread runs per algorithm; the median is reported.")
    var runs: Int = 3

    @Option(help: "Threads for the all-core figures.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    /// A JWT signing input of typical size: an RFC 9068 header and claims, base64url-encoded.
    private static let signingInput: [UInt8] = {
        let header = Array(#"{"alg":"ES256","kid":"kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k","typ":"at+jwt"}"#.utf8)
        let claims = Array(
            #"{"iss":"https://baton.example","sub":"user-1234567890","aud":"api","client_id":"spa","scope":"openid profile","sid":"3f2a9c1e","iat":1700000000,"exp":1700000300,"jti":"b6c2d1e0f9a8"}"#
                .utf8)
        return Base64URL.encode(header) + [UInt8(ascii: ".")] + Base64URL.encode(claims)
    }()

    func run() async throws {
        let algorithms: [(SigningAlgorithm, OpenSSLSpeed.Algorithm)] = [
            (.es256, .ecdsaP256), (.edDSA, .ed25519), (.rs256, .rsa2048),
        ]
        print("openssl speed -seconds \(seconds) \(algorithms.map(\.1.rawValue).joined(separator: " ")) (1 thread, then -multi \(threads))…")
        let openSSLOne = try await OpenSSLSpeed.signaturesPerSecond(algorithms.map(\.1), seconds: seconds, processes: 1)
        let openSSLAll = try await OpenSSLSpeed.signaturesPerSecond(algorithms.map(\.1), seconds: seconds, processes: threads)

        var rows: [[String]] = []
        for (algorithm, speedName) in algorithms {
            print("BatonCrypto \(algorithm.rawValue): \(runs) × \(seconds) s on 1 thread, \(seconds) s on \(threads) threads…")
            let key = try SigningKey.generate(algorithm)
            let sign: @Sendable () throws -> Void = { _ = try key.sign(Self.signingInput) }
            let one = try median((0..<runs).map { _ in try Self.operationsPerSecond(threads: 1, seconds: seconds, sign) })
            let all = try Self.operationsPerSecond(threads: threads, seconds: seconds, sign)
            let reference = openSSLOne[speedName] ?? .nan
            rows.append([
                algorithm.rawValue, Self.format(one), Self.format(reference), String(format: "%.2f", one / reference),
                Self.format(all), Self.format(openSSLAll[speedName] ?? .nan), String(format: "%.2fx", all / one),
            ])
        }

        let mac = try HMACSHA256(key: Random.bytes(count: 32))
        let message = try Random.bytes(count: 60)
        let authenticate: @Sendable () throws -> Void = { _ = try mac.authenticationCode(for: message) }
        let macOne = try median((0..<runs).map { _ in try Self.operationsPerSecond(threads: 1, seconds: seconds, authenticate) })
        let macAll = try Self.operationsPerSecond(threads: threads, seconds: seconds, authenticate)

        print()
        printTable(
            header: ["alg", "ours/s 1T", "openssl/s 1T", "ratio", "ours/s \(threads)T", "openssl/s \(threads)T", "scaling"],
            rows: rows)
        print()
        print("HMAC-SHA256, 60-byte input: \(Self.format(macOne)) ops/s on 1 thread, \(Self.format(macAll)) ops/s on \(threads) threads")
        print("(ours: median of \(runs) runs of \(seconds) s, JWT signing input of \(Self.signingInput.count) bytes, ES256 includes the DER → R||S conversion;")
        print(" openssl speed signs a 20-byte digest for ECDSA/RSA; scaling = ours \(threads)T / ours 1T)")
    }

    private static func format(_ value: Double) -> String {
        value.isNaN ? "n/a" : String(Int(value.rounded()))
    }
}
