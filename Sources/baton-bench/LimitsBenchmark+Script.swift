import ArgumentParser
import BatonCore
import BatonRedis
import BatonStore
import BatonLocalServers
import Foundation

extension LimitsBenchmark {
    /// Rotation-script calls/s: `redis-benchmark` calling Baton's own script (through
    /// `RefreshFunctionLibrary`) on a private redis-server over `families` families, and
    /// redis-server's CPU time per call. Every call must have rotated: the generations of all
    /// families must add up to the number of calls, or this throws.
    static func measureScript(seconds: Int, runs: Int, families: Int, clients: Int,
                              commands: inout [String]) async throws -> LimitsReport.Script {
        let server = try await RedisServer.start()
        defer { server.stop() }
        guard let serverPID = server.pid else { throw ValidationError("redis-server is not running") }
        let redis = RedisClient(configuration: try RedisConfiguration(url: server.url))
        do {
            try await redis.waitUntilConnected()
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            try await BenchFamilies.prepare(families, now: now, redis: redis)
            var calls = 0

            // One call through the client first: the function must answer `rotate`.
            let probe = try await redis.send(RedisCommand("FCALL", BenchFamilies.arguments(now: now, familyKey: BenchFamilies.familyKey(0))))
            guard probe.array?.first?.string == RefreshOutcomeLabel.rotated.rawValue else {
                throw ValidationError("\(RefreshFunctionLibrary.functionName) did not rotate: \(probe)")
            }
            calls += 1

            // A warm-up that also sizes the runs to last about `seconds` each.
            let warmUp = 20_000
            let (warmUpRate, warmUpCommand) = try await redisBenchmark(port: server.port, requests: warmUp, clients: clients,
                                                                       families: families, now: now)
            commands.append(warmUpCommand)
            calls += warmUp
            let requests = max(warmUp, Int(warmUpRate * Double(seconds)))

            var rates: [Double] = []
            var cpuPerCall: [Double] = []
            for run in 1...runs {
                let before = try ProcessStat(pid: serverPID).cpuMicroseconds
                let (rate, command) = try await redisBenchmark(port: server.port, requests: requests, clients: clients,
                                                               families: families, now: now)
                if run == 1 { commands.append(command) }
                let used = try ProcessStat(pid: serverPID).cpuMicroseconds - before
                calls += requests
                rates.append(rate)
                cpuPerCall.append(used / Double(requests))
                print(String(format: "  script run %d: %.0f calls/s, redis-server %.2f CPU-µs/call", run, rate, used / Double(requests)))
            }

            let generations = try await BenchFamilies.sumOfGenerations(families, redis: redis)
            guard generations == calls else {
                throw ValidationError("the generations add up to \(generations), not \(calls) calls: not every call rotated")
            }
            print("  verified: the \(families) families' generations add up to the \(calls) calls made")
            await redis.shutdown()
            return LimitsReport.Script(callsPerSecond: median(rates), redisCPUMicrosecondsPerCall: median(cpuPerCall),
                                       extra: RefreshFunctionLibrary.extra)
        } catch {
            await redis.shutdown()
            throw error
        }
    }

    /// Runs `redis-benchmark` once; returns the calls/s it reports and the command line.
    private static func redisBenchmark(port: Int, requests: Int, clients: Int, families: Int,
                                       now: Int64) async throws -> (callsPerSecond: Double, command: String) {
        let key = BenchFamilies.familyKeyPrefix + "__rand_int__"
        let arguments = [
            "-h", "127.0.0.1", "-p", String(port), "-c", String(clients), "-r", String(families),
            "-n", String(requests), "-q", "FCALL",
        ] + BenchFamilies.arguments(now: now, familyKey: key)
        // Even at a tenth of the warm-up's rate a run ends well within this.
        let (status, output) = try await runToCompletion("redis-benchmark", arguments,
                                                         timeout: .seconds(30 + requests / 2_000))
        guard status == 0 else { throw ValidationError("redis-benchmark exited with \(status): \(output)") }
        return (try RedisBenchmark.requestsPerSecond(inOutput: output), commandLine("redis-benchmark", arguments))
    }
}
