import ArgumentParser
import BatonLoad
import Foundation

/// The exit codes `baton-load` documents.
enum ExitCodes {
    /// The run saw correctness failures.
    static let correctness = ExitCode(1)
    /// The run could not be set up.
    static let setup = ExitCode(2)

    /// Runs `body`, turning its errors into a message on stderr and the documented exit code:
    /// usage errors 64, everything else that stops a run from being made or written 2.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch LoadError.usage(let message) {
            printError("baton-load: \(message)")
            throw ExitCode.validationFailure
        } catch {
            printError("baton-load: \(error)")
            throw setup
        }
    }
}

/// Prints a line on stdout, unbuffered, so it comes before anything printed on stderr after it.
func printOutput(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
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
