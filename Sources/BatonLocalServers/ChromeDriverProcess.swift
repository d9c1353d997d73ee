import BatonCore
import BatonSystem
import Foundation

/// Debian's `chromedriver` on a free loopback port, leading its own process group, with a
/// temporary directory that is its HOME (where Chromium's crash handler keeps its database) and
/// holds the browser's profile: every process it starts either joins the group or names the
/// directory on its command line, so `stop` can find them all by pid.
final class ChromeDriverProcess: Sendable {
    /// The port chromedriver answers WebDriver commands on (127.0.0.1).
    let port: Int
    /// HOME, the browser's profile (`profile`) and chromedriver's output (`chromedriver.log`).
    let directory: String
    private let process: ChildProcess

    /// The directory the browser is told to keep its profile in (`--user-data-dir`).
    var profileDirectory: String { directory + "/profile" }

    private init(port: Int, directory: String, process: ChildProcess) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    /// Starts chromedriver and waits (up to `timeout`) until `GET /status` says it is ready for a session.
    static func start(timeout: Duration) async throws -> ChromeDriverProcess {
        guard let binary = ChildProcess.executable(named: "chromedriver") else {
            throw LocalServerError("chromedriver not found: scripts/install-deps.sh installs Debian's chromium-driver")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-chromium-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory + "/profile", withIntermediateDirectories: true)
        let driver: ChromeDriverProcess
        do {
            let port = try freeLoopbackPort()
            let process = try ChildProcess.spawn(binary, ["--port=\(port)"], environment: ["HOME": directory],
                                                 outputPath: directory + "/chromedriver.log", ownProcessGroup: true)
            driver = ChromeDriverProcess(port: port, directory: directory, process: process)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        do {
            try await poll("chromedriver to be ready on port \(driver.port)", timeout: timeout, every: .milliseconds(20)) {
                guard driver.process.isRunning else { throw LocalServerError("chromedriver exited at start: \(driver.log)") }
                let status = try? await LoopbackHTTPClient.send("GET", port: driver.port, path: "/status", timeout: .seconds(1))
                return status.flatMap { try? JSONValue.parse($0.body)[member: "value"]?[member: "ready"] } == .bool(true)
            }
        } catch {
            await driver.stop()
            throw error
        }
        return driver
    }

    /// What chromedriver has written to its standard output and error.
    var log: String {
        (try? String(contentsOfFile: directory + "/chromedriver.log", encoding: .utf8)) ?? ""
    }

    /// Kills chromedriver's process group (chromedriver, the browser and the helpers the browser
    /// started) and every other process naming the directory on its command line (Chromium's
    /// crash handler leaves the group), all with SIGKILL and by pid; waits until they are gone and
    /// removes the directory. Meant to follow a `DELETE /session`, after which only chromedriver is left.
    func stop() async {
        kill(-process.pid, SIGKILL)
        for pid in ProcessStat.processes(withCommandLineContaining: directory) { kill(pid, SIGKILL) }
        await process.waitForExit()
        _ = try? await poll("the browser's processes to exit", timeout: .seconds(10)) {
            ProcessStat.processes(withCommandLineContaining: directory).isEmpty
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
