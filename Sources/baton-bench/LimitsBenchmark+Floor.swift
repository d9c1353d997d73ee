import ArgumentParser
import BatonLoad
import BatonRedis
import BatonTesting
import Foundation

extension LimitsBenchmark {
    /// A lean C server doing a refresh's floor work on this machine: `baton-floor` (loadtest/floor),
    /// one process per core, on a private redis-server over its unix socket (AOF on, everysec, as
    /// Baton's embedded one), driven by `wrk` with a refresh-shaped POST on `connections`
    /// connections. Refreshes/s, and CPU-µs per refresh of the floor processes, Redis and wrk,
    /// each from /proc/<pid>/stat. Every answer must have been a rotation: wrk sees no error, the
    /// floor (which exits on any other reply) still runs, and the families' generations account
    /// for every answered request.
    static func measureFloor(binary: String, seconds: Int, runs: Int, connections: Int, families: Int,
                             commands: inout [String]) async throws -> LimitsReport.Floor {
        let server = try await RedisServer.start(extraArguments: ["--appendonly", "yes", "--appendfsync", "everysec"])
        defer { server.stop() }
        guard let redisPID = server.pid else { throw ValidationError("redis-server is not running") }
        let redis = RedisClient(configuration: try RedisConfiguration(url: server.unixURL))
        do {
            try await redis.waitUntilConnected()
            try await BenchFamilies.prepare(families, now: Int64(Date().timeIntervalSince1970 * 1000), redis: redis)
            let floor = try await measureFloor(binary: binary, redis: server, redisPID: redisPID, seconds: seconds, runs: runs,
                                               connections: connections, families: families, commands: &commands)
            let generations = try await BenchFamilies.sumOfGenerations(families, redis: redis)
            // Requests still in flight when wrk stops rotate without being counted as answered.
            let answered = floor.answered
            guard generations >= answered, generations <= answered + connections * (runs + 1) else {
                throw ValidationError("the generations add up to \(generations) for \(answered) answered requests")
            }
            print("  verified: \(generations) rotations for the \(answered) answered requests (the rest in flight at wrk's stop)")
            await redis.shutdown()
            return floor.report
        } catch {
            await redis.shutdown()
            throw error
        }
    }

    private static func measureFloor(binary: String, redis: RedisServer, redisPID: pid_t, seconds: Int, runs: Int,
                                     connections: Int, families: Int,
                                     commands: inout [String]) async throws -> (report: LimitsReport.Floor, answered: Int) {
        let cores = MachineInfo.current().cores
        let directory = redis.directory.path
        let script = directory + "/refresh.lua"
        try wrkRefreshScript().write(toFile: script, atomically: true, encoding: .utf8)
        let servers = try await FloorServers.start(binary: binary, count: cores, redisSocket: redis.socketPath, families: families,
                                                   lifetime: .seconds((runs + 1) * (seconds + 30)), logPath: directory + "/floor.log")
        do {
            print("  baton-floor: \(cores) processes on one port, Redis over its unix socket (AOF everysec)")
            let url = "http://127.0.0.1:\(servers.port)/oauth/token"
            let warmUp = ["-t1", "-c\(connections)", "-d1s", "-s", script, url]
            let arguments = ["-t1", "-c\(connections)", "-d\(seconds)s", "-s", script, url]
            commands.append(commandLine("wrk", arguments) + "  (refresh.lua: POST, form body grant_type=refresh_token&client_id="
                            + BenchFamilies.clientID + "&refresh_token=<a random token of Baton's shape>)")
            var answered = try await runWrk(warmUp, seconds: 1).requests
            var (rates, serverCPU, redisCPU, clientCPU) = ([Double](), [Double](), [Double](), [Double]())
            for run in 1...runs {
                let serverBefore = try servers.pids.reduce(0) { $0 + (try ProcessStat(pid: $1).cpuMicroseconds) }
                let redisBefore = try ProcessStat(pid: redisPID).cpuMicroseconds
                var wrkCPU = 0.0
                let result = try await runWrk(arguments, seconds: seconds) { wrkCPU = $0 }
                try servers.ensureRunning()
                let serverUsed = try servers.pids.reduce(0) { $0 + (try ProcessStat(pid: $1).cpuMicroseconds) } - serverBefore
                let redisUsed = try ProcessStat(pid: redisPID).cpuMicroseconds - redisBefore
                let requests = Double(result.requests)
                answered += result.requests
                rates.append(result.requestsPerSecond)
                serverCPU.append(serverUsed / requests)
                redisCPU.append(redisUsed / requests)
                clientCPU.append(wrkCPU / requests)
                print(String(format: "  floor run %d: %.0f refreshes/s, baton-floor %.2f, redis-server %.2f, wrk %.2f CPU-µs/refresh",
                             run, result.requestsPerSecond, serverUsed / requests, redisUsed / requests, wrkCPU / requests))
            }
            await servers.stop()
            let report = LimitsReport.Floor(refreshesPerSecond: median(rates), serverCPUMicroseconds: median(serverCPU),
                                            redisCPUMicroseconds: median(redisCPU), clientCPUMicroseconds: median(clientCPU),
                                            processes: cores, connections: connections)
            return (report, answered)
        } catch {
            await servers.stop()
            throw error
        }
    }

    /// One wrk run; fails on any socket error or non-2xx answer. `cpu` gets wrk's CPU-µs.
    private static func runWrk(_ arguments: [String], seconds: Int,
                               cpu: (Double) -> Void = { _ in }) async throws -> WrkResult {
        var used = 0.0
        let (status, output) = try await runToCompletion("wrk", arguments, timeout: .seconds(seconds + 30)) { pid in
            used = try await ProcessStat.cpuMicrosecondsAtExit(of: pid)
        }
        guard status == 0 else { throw ValidationError("wrk exited with \(status): \(output)") }
        let result = try WrkResult.parse(output, threads: 1, command: ["wrk"] + arguments)
        guard result.errors == 0, result.requests > 0 else { throw ValidationError("wrk saw failed requests: \(output)") }
        cpu(used)
        return result
    }

    /// wrk's script: every request a refresh as an app sends it (form body, client id, a
    /// refresh token of Baton's shape), so the floor reads what a worker reads.
    private static func wrkRefreshScript() throws -> String {
        let token = try sampleRefreshToken().token
        return """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
            wrk.body = "grant_type=refresh_token&client_id=\(BenchFamilies.clientID)&refresh_token=\(token)"

            """
    }
}
