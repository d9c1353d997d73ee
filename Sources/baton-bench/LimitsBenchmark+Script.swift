import ArgumentParser
import BatonCore
import BatonRedis
import BatonStore
import BatonTesting
import Foundation

extension LimitsBenchmark {
    /// The shard of every benchmark family (one redis-server: the hash tag only shapes the key).
    private static let shard = Array("0a1b2c3d".utf8)
    /// The client every benchmark family belongs to.
    private static let clientID = "bench-client"
    /// Ten characters that, with a 12-digit number, make a 22-character family id.
    private static let familyIDPrefix = "bt-bench--"
    private static let day: Int64 = 86_400_000

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
            _ = try await redis.send("FUNCTION", "LOAD", "REPLACE", RefreshFunctionLibrary.source)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            try await createFamilies(families, now: now, store: FamilyStore(redis: redis))
            var calls = 0

            // One call through the client first: the function must answer `rotate`.
            let probe = try await redis.send(RedisCommand("FCALL", arguments(now: now, familyKey: familyKey(0))))
            guard probe.array?.first?.string == "rotate" else {
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

            let generations = try await sumOfGenerations(families, redis: redis)
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

    /// Family `index`'s session: a fixed shard and a family id ending in the 12 digits
    /// `redis-benchmark` writes for `__rand_int__`.
    private static func session(_ index: Int) -> SessionID {
        SessionID(shard: shard, familyID: Array((familyIDPrefix + String(format: "%012d", index)).utf8))
    }

    private static func familyKey(_ index: Int) -> String {
        KeySchema.family(session(index))
    }

    /// The FCALL arguments; ARGV[1] (presented generation) and ARGV[6] (family id) are
    /// placeholders the function fills in.
    private static func arguments(now: Int64, familyKey: String) -> [String] {
        [
            RefreshFunctionLibrary.functionName, "2", familyKey, KeySchema.userPrefix(shard: shard),
            "0", clientID, String(now), "10000", String(30 * day), "-", "",
        ]
    }

    /// Creates the families as Baton's own CreateFamilyScript does, one user each, with a
    /// far-away end and a long idle timeout.
    private static func createFamilies(_ count: Int, now: Int64, store: FamilyStore) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                if index >= 256 { try await group.next() }
                group.addTask {
                    _ = try await store.create(
                        NewFamily(session: session(index), clientID: clientID, subject: "bench-user-\(index)",
                                  scope: "read write", authTime: now / 1000, claims: "",
                                  expiresAt: now + 365 * day, idleTimeoutMilliseconds: 30 * day),
                        now: now)
                }
            }
            try await group.waitForAll()
        }
    }

    /// The sum of the families' generations.
    private static func sumOfGenerations(_ count: Int, redis: RedisClient) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            var sum = 0
            for index in 0..<count {
                if index >= 256, let generation = try await group.next() { sum += generation }
                group.addTask {
                    let reply = try await redis.send("HGET", familyKey(index), "g")
                    guard let generation = reply.int else { throw ValidationError("family \(index) has no generation: \(reply)") }
                    return Int(generation)
                }
            }
            for try await generation in group { sum += generation }
            return sum
        }
    }

    /// Runs `redis-benchmark` once; returns the calls/s it reports and the command line.
    private static func redisBenchmark(port: Int, requests: Int, clients: Int, families: Int,
                                       now: Int64) async throws -> (callsPerSecond: Double, command: String) {
        let key = KeySchema.family(SessionID(shard: shard, familyID: Array((familyIDPrefix + "__rand_int__").utf8)))
        let arguments = [
            "-h", "127.0.0.1", "-p", String(port), "-c", String(clients), "-r", String(families),
            "-n", String(requests), "-q", "FCALL",
        ] + Self.arguments(now: now, familyKey: key)
        // Even at a tenth of the warm-up's rate a run ends well within this.
        let (status, output) = try await runToCompletion("redis-benchmark", arguments,
                                                         timeout: .seconds(30 + requests / 2_000))
        guard status == 0 else { throw ValidationError("redis-benchmark exited with \(status): \(output)") }
        return (try RedisBenchmark.requestsPerSecond(inOutput: output), commandLine("redis-benchmark", arguments))
    }
}
