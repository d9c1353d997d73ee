import BatonLocalServers
import BatonRedis
import BatonSystem
import Foundation
import Logging
import Testing

/// The embedded default: a private redis-server on a unix socket in the data directory, restarted
/// when it dies, stopped with the worker.
@Suite struct EmbeddedRedisTests {
    private func pid(in directory: String) -> Int32? {
        (try? String(contentsOfFile: directory + "/redis.pid", encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    private func answers(_ url: String) async -> Bool {
        guard let configuration = try? RedisConfiguration(url: url) else { return false }
        let client = RedisClient(configuration: configuration)
        defer { Task { await client.shutdown() } }
        guard (try? await client.waitUntilConnected(timeout: .seconds(5))) != nil else { return false }
        return (try? await client.send("PING")) == .status("PONG")
    }

    @Test func startsAnswersRestartsAfterACrashAndStops() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-embedded-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let redis = try await EmbeddedRedis.start(dataDirectory: directory, logger: Logger(label: "embedded-redis-test"))
        #expect(redis.url == "unix://" + directory + "/redis.sock")
        try await poll("redis-server to answer", timeout: .seconds(10)) { await answers(redis.url) }
        let first = try #require(pid(in: directory))

        kill(first, SIGKILL)
        try await poll("redis-server to be restarted", timeout: .seconds(10)) {
            if let next = pid(in: directory), next != first { return await answers(redis.url) }
            return false
        }
        let second = try #require(pid(in: directory))

        await redis.stop()
        #expect(kill(second, 0) != 0, "redis-server \(second) still runs after stop()")
    }

    @Test(arguments: [false, true])
    func theDataDirectoryAndEveryFileInItAreTheOwnersOnly(directoryExisted: Bool) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-embedded-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        if directoryExisted {  // `mkdir data` or a mounted volume: open to everyone
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o755])
        }
        let umaskBefore = currentUmask()
        let redis = try await EmbeddedRedis.start(dataDirectory: directory, logger: Logger(label: "embedded-redis-test"))
        try await poll("redis-server to answer", timeout: .seconds(10)) { await answers(redis.url) }
        await redis.stop()
        // Only redis-server runs with 077: this process's files (a test's nginx pages) keep theirs.
        #expect(currentUmask() == umaskBefore)
        func mode(_ path: String) throws -> Int {
            try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        }
        #expect(try mode(directory) == 0o700)
        let aof = directory + "/appendonlydir"
        #expect(try mode(aof) & 0o077 == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: aof).map { aof + "/" + $0 } + [directory + "/redis.log"]
        #expect(files.count >= 3)
        for file in files { #expect(try mode(file) & 0o077 == 0, "\(file) is open to others") }
    }
}

/// The process's umask (reading it means setting it, so it is set back at once).
private func currentUmask() -> mode_t {
    let mask = umask(0o022)
    umask(mask)
    return mask
}
