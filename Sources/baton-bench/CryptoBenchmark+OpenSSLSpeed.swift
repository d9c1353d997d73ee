import ArgumentParser
import BatonLocalServers
import Foundation

extension CryptoBenchmark {
    /// Runs `openssl speed` and reads its sign/s column: the machine's own signing limit.
    enum OpenSSLSpeed {
        /// An `openssl speed` algorithm name.
        enum Algorithm: String {
            case ecdsaP256 = "ecdsap256"
            case ed25519 = "ed25519"
            case rsa2048 = "rsa2048"

            /// What identifies the algorithm's result line in the summary table.
            var resultLineMarker: String {
                switch self {
                case .ecdsaP256: "(nistp256)"
                case .ed25519: "(Ed25519)"
                case .rsa2048: "rsa 2048 bits"
                }
            }
        }

        /// The `openssl` arguments that time each of `algorithms` for `seconds`, over `processes`
        /// processes (`-multi`) when more than one.
        static func arguments(_ algorithms: [Algorithm], seconds: Int, processes: Int) -> [String] {
            var arguments = ["speed", "-seconds", String(seconds)]
            if processes > 1 { arguments += ["-multi", String(processes)] }
            return arguments + algorithms.map(\.rawValue)
        }

        /// Signatures/s per algorithm, over `processes` processes (`-multi`) when more than one.
        static func signaturesPerSecond(
            _ algorithms: [Algorithm], seconds: Int, processes: Int
        ) async throws -> [Algorithm: Double] {
            // posix_spawn with a clean signal mask: `openssl speed` ends each timed loop on SIGALRM.
            // It times signing, then verifying, for `seconds` each; a run far past that is stuck.
            let (status, output) = try await runToCompletion(
                "openssl", arguments(algorithms, seconds: seconds, processes: processes),
                timeout: .seconds(2 * seconds * algorithms.count + 30))
            guard status == 0 else { throw ValidationError("openssl speed exited with \(status): \(output)") }
            var rates: [Algorithm: Double] = [:]
            for line in output.split(separator: "\n") {
                guard let algorithm = algorithms.first(where: { line.contains($0.resultLineMarker) }) else { continue }
                // "<name…> <sign s> <verify s> <sign/s> <verify/s>"
                let columns = line.split(separator: " ")
                if columns.count >= 2, let rate = Double(columns[columns.count - 2]) { rates[algorithm] = rate }
            }
            return rates
        }
    }
}
