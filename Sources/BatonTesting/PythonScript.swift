import Foundation

/// Runs a program to completion with its output in a temporary file (reading a pipe with
/// Foundation can trap on EINTR when a child exits).
public func runToCompletion(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("baton-run-\(UUID().uuidString)").path
    FileManager.default.createFile(atPath: outputPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = output
    process.standardError = output
    try process.run()
    process.waitUntilExit()
    try output.close()
    return (process.terminationStatus, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
}

/// Runs a Python 3 script for cross-checks with independent implementations (e.g. joserfc).
public enum PythonScript {
    /// Runs `source` with `arguments`; returns its output, throws with it on failure.
    public static func run(_ source: String, arguments: [String] = []) throws -> String {
        let (status, output) = try runToCompletion("/usr/bin/env", ["python3", "-c", source] + arguments)
        guard status == 0 else {
            throw RedisServerError(message: "python3 failed (\(status)): \(output)")
        }
        return output
    }
}
