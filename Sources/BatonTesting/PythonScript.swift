import BatonLocalServers
import BatonSystem
import Foundation

/// Runs a Python 3 script for cross-checks with independent implementations (e.g. joserfc).
public enum PythonScript {
    /// Runs `source` with `arguments`; returns its output, throws with it on failure.
    public static func run(_ source: String, arguments: [String] = []) async throws -> String {
        let (status, output) = try await runToCompletion("python3", ["-c", source] + arguments)
        guard status == 0 else {
            throw LocalServerError("python3 failed (\(status)): \(output)")
        }
        return output
    }
}
