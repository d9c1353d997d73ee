import BatonSystem
import Foundation

/// Runs a program to completion without blocking a thread, its output collected in a temporary
/// file; returns its exit code and output.
public func runToCompletion(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
    let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("baton-run-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    let path = executable.hasPrefix("/") ? executable : try RedisServer.findExecutable(executable)
    let child = try ChildProcess.spawn(path, arguments, outputPath: outputPath)
    let status = await child.waitForExit()
    return (ChildProcess.exitCode(status), (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
}

/// Runs a Python 3 script for cross-checks with independent implementations (e.g. joserfc).
public enum PythonScript {
    /// Runs `source` with `arguments`; returns its output, throws with it on failure.
    public static func run(_ source: String, arguments: [String] = []) async throws -> String {
        let (status, output) = try await runToCompletion("python3", ["-c", source] + arguments)
        guard status == 0 else {
            throw RedisServerError(message: "python3 failed (\(status)): \(output)")
        }
        return output
    }
}
