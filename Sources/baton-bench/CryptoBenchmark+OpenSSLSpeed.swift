import ArgumentParser
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

        /// Signatures/s per algorithm, over `processes` processes (`-multi`) when more than one.
        static func signaturesPerSecond(
            _ algorithms: [Algorithm], seconds: Int, processes: Int
        ) throws -> [Algorithm: Double] {
            var arguments = ["openssl", "speed", "-seconds", String(seconds)]
            if processes > 1 { arguments += ["-multi", String(processes)] }
            let output = try run(arguments + algorithms.map(\.rawValue))
            var rates: [Algorithm: Double] = [:]
            for line in output.split(separator: "\n") {
                guard let algorithm = algorithms.first(where: { line.contains($0.resultLineMarker) }) else { continue }
                // "<name…> <sign s> <verify s> <sign/s> <verify/s>"
                let columns = line.split(separator: " ")
                if columns.count >= 2, let rate = Double(columns[columns.count - 2]) { rates[algorithm] = rate }
            }
            return rates
        }

        private static func run(_ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            // Foundation.Process hands the calling thread's signal mask to the child
            // (swift-corelibs-foundation#4772), and Dispatch's threads block SIGALRM, which is how
            // `openssl speed` ends each timed loop: spawn with nothing blocked, then restore the mask.
            var unblocked = sigset_t()
            var previous = sigset_t()
            sigemptyset(&unblocked)
            pthread_sigmask(SIG_SETMASK, &unblocked, &previous)
            defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw ValidationError("\(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
            }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
