import ArgumentParser
import BatonRedis
import BatonLocalServers
import Foundation
import Synchronization

/// Pipelined EVALSHA through BatonRedis next to `redis-benchmark` running the same script
/// against the same server at the same concurrency, in one run.
struct RedisBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redis",
        abstract: "EVALSHA ops/s through BatonRedis vs redis-benchmark, same script and concurrency."
    )

    @Option(help: "Concurrent callers (and redis-benchmark -c).")
    var concurrency = 50

    @Option(help: "Connections in BatonRedis's pool.")
    var connections = 2

    @Option(help: "Seconds per measurement.")
    var seconds = 4

    @Option(help: "Measurements per side; the median is reported.")
    var runs = 3

    /// A script shaped like a refresh rotation: read two fields, compare, write, extend the TTL.
    static let script = """
        local v = redis.call('HMGET', KEYS[1], 'gen', 'at')
        local gen = tonumber(v[1]) or 0
        redis.call('HSET', KEYS[1], 'gen', gen + 1, 'at', ARGV[1])
        redis.call('PEXPIRE', KEYS[1], 600000)
        return gen + 1
        """

    func run() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        var configuration = try RedisConfiguration(url: server.url)
        configuration.connectionCount = connections
        let client = RedisClient(configuration: configuration)
        try await client.waitUntilConnected()
        let script = RedisScript(Self.script)
        let sha = try await client.load(script)

        print("EVALSHA (HMGET + HSET + PEXPIRE on one hash), \(concurrency) concurrent callers, \(seconds) s × \(runs) runs")
        _ = try await measureClient(client, script: script, seconds: 1)  // warm-up
        // redis-benchmark two ways: one command in flight on each of `concurrency` connections, and the
        // same number in flight pipelined over our number of connections (-P), which is how BatonRedis sends.
        let pipeline = max(1, concurrency / connections)
        var ours: [Double] = []
        var perConnection: [Double] = []
        var pipelined: [Double] = []
        for run in 1...runs {
            let rate = try await measureClient(client, script: script, seconds: seconds)
            let plain = try await redisBenchmark(port: server.port, sha: sha, clients: concurrency, pipeline: 1)
            let batched = try await redisBenchmark(port: server.port, sha: sha, clients: connections, pipeline: pipeline)
            print(String(format: "  run %d: BatonRedis %8.0f   redis-benchmark -c %d %8.0f   redis-benchmark -c %d -P %d %8.0f ops/s",
                         run, rate, concurrency, plain, connections, pipeline, batched))
            ours.append(rate)
            perConnection.append(plain)
            pipelined.append(batched)
        }
        await client.shutdown()
        let (medianOurs, medianPlain, medianBatched) = (median(ours), median(perConnection), median(pipelined))
        print(String(format: "median ops/s: BatonRedis %.0f (%d connections)", medianOurs, connections))
        print(String(format: "              redis-benchmark -c %d: %.0f  → BatonRedis at %.0f%%",
                     concurrency, medianPlain, 100 * medianOurs / medianPlain))
        print(String(format: "              redis-benchmark -c %d -P %d: %.0f  → BatonRedis at %.0f%%",
                     connections, pipeline, medianBatched, 100 * medianOurs / medianBatched))
    }

    private func measureClient(_ client: RedisClient, script: RedisScript, seconds: Int) async throws -> Double {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let started = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for caller in 0..<concurrency {
                group.addTask {
                    var count = 0
                    let key = "bench:family:\(caller)"
                    while ContinuousClock.now < deadline {
                        _ = try await client.evaluate(script, keys: [key], arguments: ["1700000000000"])
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = ContinuousClock.now - started
        return Double(total) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    private func redisBenchmark(port: Int, sha: String, clients: Int, pipeline: Int) async throws -> Double {
        // ~seconds worth of requests at redis-benchmark's usual rate on this class of machine.
        let requests = (pipeline > 1 ? 150_000 : 60_000) * seconds
        let (_, text) = try await runToCompletion("redis-benchmark", [
            "-h", "127.0.0.1", "-p", String(port), "-c", String(clients), "-P", String(pipeline),
            "-n", String(requests), "-q", "EVALSHA", sha, "1", "bench:family:rb", "1700000000000",
        ])
        return try Self.requestsPerSecond(inOutput: text)
    }

    /// The rate `redis-benchmark -q` reports: "EVALSHA ...: 85034.02 requests per second, p50=0.311
    /// msec" (the last progress line wins; the command's own text may hold colons).
    static func requestsPerSecond(inOutput text: String) throws -> Double {
        guard let line = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).last(where: { $0.contains("requests per second") }),
              let rate = line.components(separatedBy: " requests per second").first?
                .split(whereSeparator: { $0 == " " || $0 == ":" }).last.flatMap({ Double($0) })
        else {
            throw ValidationError("could not read redis-benchmark's output: \(text)")
        }
        return rate
    }
}
