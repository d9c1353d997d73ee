import BatonSystem
import BatonLocalServers
import Foundation

/// `baton-floor` processes (loadtest/floor) sharing one port on 127.0.0.1 with SO_REUSEPORT, on
/// a Redis that holds `BenchFamilies` and `RefreshFunctionLibrary`. Each ends by itself after
/// its lifetime; one that exits earlier has met a reply other than `rotate` (see its log).
struct FloorServers {
    let processes: [ChildProcess]
    let port: Int
    let logPath: String

    var pids: [pid_t] { processes.map(\.pid) }

    /// Starts `count` processes (with `environment` added to theirs, under `launcher` when given,
    /// such as valgrind) and waits until the port accepts connections.
    static func start(binary: String, count: Int, redisSocket: String, families: Int, lifetime: Duration,
                      logPath: String, environment: [String: String] = [:], launcher: [String] = []) async throws -> FloorServers {
        let port = try freeLoopbackPort()
        let arguments = [
            "--port", String(port), "--redis-socket", redisSocket, "--families", String(families),
            "--seconds", String(max(1, lifetime.components.seconds)),
            "--family-prefix", BenchFamilies.familyKeyPrefix, "--revocations-key", BenchFamilies.revocationsKey,
            "--client", BenchFamilies.clientID,
        ]
        var processes: [ChildProcess] = []
        let command = launcher + [binary] + arguments
        for _ in 0..<count {
            processes.append(try ChildProcess.spawn(command[0], Array(command.dropFirst()), environment: environment, outputPath: logPath))
        }
        let servers = FloorServers(processes: processes, port: port, logPath: logPath)
        for _ in 0..<3000 {
            try servers.ensureRunning()
            if RedisServer.canConnect(port: port) { return servers }
            try await Task.sleep(for: .milliseconds(10))
        }
        await servers.stop()
        throw LocalServerError("baton-floor did not accept connections on port \(port) within 30 s")
    }

    /// Throws, with the processes' log, if any of them has exited.
    func ensureRunning() throws {
        guard processes.allSatisfy(\.isRunning) else {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw LocalServerError("baton-floor exited: \(log.isEmpty ? "(no output)" : log)")
        }
    }

    /// Stops every process (SIGTERM, then SIGKILL after a second).
    func stop() async {
        for process in processes where process.isRunning {
            _ = await process.terminate(gracePeriod: .seconds(1))
        }
    }
}
