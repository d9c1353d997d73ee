import BatonSystem
import Foundation

/// Runs a program to completion without blocking a thread, its output collected in a temporary
/// file; returns its exit code and output. A program still running after `timeout` is killed
/// (SIGKILL, by its pid) and the call throws.
///
/// `observe` is called with the child's pid as soon as it runs; the child is not reaped before
/// `observe` returns, so an observer that waits for it to exit can still read its /proc entry
/// (its CPU time, say) while it is a zombie.
public func runToCompletion(
    _ executable: String, _ arguments: [String], timeout: Duration? = nil,
    observe: (pid_t) async throws -> Void = { _ in }
) async throws -> (status: Int32, output: String) {
    let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("baton-run-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    let path = executable.hasPrefix("/") ? executable : try RedisServer.findExecutable(executable)
    let child = try ChildProcess.spawn(path, arguments, outputPath: outputPath)
    let watchdog = timeout.map { limit in
        Task { () -> Bool in
            guard (try? await Task.sleep(for: limit)) != nil else { return false }
            child.signal(SIGKILL)
            return true
        }
    }
    do {
        try await observe(child.pid)
    } catch {
        watchdog?.cancel()
        child.signal(SIGKILL)
        await child.waitForExit()
        throw error
    }
    let status = await child.waitForExit()
    watchdog?.cancel()
    if let timeout, await watchdog?.value == true {
        throw LocalServerError("\(executable) did not finish within \(timeout)")
    }
    return (ChildProcess.exitCode(status), (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
}
