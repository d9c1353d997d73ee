import ArgumentParser
import BatonLoad
import Foundation

/// The exit codes `baton-load` documents.
enum ExitCodes {
    /// The run saw correctness failures.
    static let correctness = ExitCode(1)
    /// The run could not be set up.
    static let setup = ExitCode(2)

    /// Runs `body`, turning `LoadError`s into a message on stderr and the documented exit code.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as LoadError {
            printError("baton-load: \(error)")
            switch error {
            case .usage: throw ExitCode.validationFailure
            case .setup: throw setup
            }
        }
    }
}

/// Prints a line on stderr.
func printError(_ text: String) {
    var standardError = StandardError()
    print(text, to: &standardError)
}

/// stderr as a `TextOutputStream`.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { _ = Foundation.write(2, $0.baseAddress, $0.count) }
    }
}
