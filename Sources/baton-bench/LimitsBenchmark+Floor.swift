import ArgumentParser
import BatonLoad
import BatonRedis
import BatonLocalServers
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
        let redis = RedisClient(configuration: try RedisConfiguration(url: server.unixURL))
        do {
            try await redis.waitUntilConnected()
            try await BenchFamilies.prepare(families, now: Int64(Date().timeIntervalSince1970 * 1000), redis: redis)
            let floor = try await runFloor(binary: binary, redis: server, seconds: seconds, runs: runs,
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

    /// One floor process per core, a warm-up and `runs` measured wrk runs; returns the medians and
    /// how many requests wrk saw answered in all.
    private static func runFloor(binary: String, redis: RedisServer, seconds: Int, runs: Int, connections: Int, families: Int,
                                 commands: inout [String]) async throws -> (report: LimitsReport.Floor, answered: Int) {
        guard let redisPID = redis.pid else { throw ValidationError("redis-server is not running") }
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
            var answered = try await runWrk(warmUp, seconds: 1).result.requests
            var (rates, serverCPU, redisCPU, clientCPU) = ([Double](), [Double](), [Double](), [Double]())
            for run in 1...runs {
                let serverBefore = try servers.pids.reduce(0) { $0 + (try ProcessStat(pid: $1).cpuMicroseconds) }
                let redisBefore = try ProcessStat(pid: redisPID).cpuMicroseconds
                let (result, wrkCPU) = try await runWrk(arguments, seconds: seconds)
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

    /// wrk's script: every request a refresh as an app sends it (form body, client id, a
    /// refresh token of Baton's shape), so the floor reads what a worker reads.
    static func wrkRefreshScript() throws -> String {
        let token = try sampleRefreshToken().token
        return """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
            wrk.body = "grant_type=refresh_token&client_id=\(BenchFamilies.clientID)&refresh_token=\(token)"

            """
    }
}
