import ArgumentParser
import BatonRedis
import BatonServer
import Foundation
import Logging

/// Where the state lives: shared by `serve`, `clients` and `sessions`. Every option can also be
/// set through the `BATON_*` environment variable named in its help.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Redis URL (redis://[:password@]host:port/db or unix:///path). Unset: the embedded redis-server in the data directory. [BATON_REDIS]")
    var redis: String? = environment("BATON_REDIS")

    @Option(name: .customLong("data-dir"), help: "Data directory of the embedded Redis and its generated secrets. [BATON_DATA_DIR]")
    var dataDirectory: String = environment("BATON_DATA_DIR") ?? "./data"

    @Option(name: .customLong("master-secret"), help: "Master secret: base64 of ≥ 32 bytes, or a file path holding it. Required with --redis. [BATON_MASTER_SECRET]")
    var masterSecret: String? = environment("BATON_MASTER_SECRET")

    @Option(name: .customLong("redis-connections"), help: "Pipelined Redis connections per worker. [BATON_REDIS_CONNECTIONS]")
    var redisConnections: Int = environment("BATON_REDIS_CONNECTIONS").flatMap { Int($0) } ?? 4

    @Option(name: .customLong("redis-timeout-ms"), help: "A Redis command without a reply after this long fails (503). [BATON_REDIS_TIMEOUT_MS]")
    var redisTimeoutMilliseconds: Int = environment("BATON_REDIS_TIMEOUT_MS").flatMap { Int($0) } ?? 500

    /// The master-secret file the embedded default keeps in the data directory.
    var masterSecretFile: String { dataDirectory + "/master.secret" }

    /// The Redis URL to use: the given one, or the embedded server's socket.
    var redisURL: String { redis ?? "unix://" + URL(fileURLWithPath: dataDirectory).standardizedFileURL.path + "/redis.sock" }

    /// A connected client for the management commands.
    func connect() async throws -> RedisClient {
        var configuration = try RedisConfiguration(url: redisURL)
        configuration.connectionCount = 1
        let client = RedisClient(configuration: configuration)
        do {
            try await client.waitUntilConnected(timeout: .seconds(3))
        } catch {
            await client.shutdown()
            throw ValidationError("cannot reach Redis at \(redis == nil ? "the embedded socket (is `baton serve` running?)" : "--redis"): \(error)")
        }
        return client
    }

    /// The configured master secret, or the embedded default's file if there is one.
    func existingMasterSecret() throws -> MasterSecret? {
        if let masterSecret { return try MasterSecret.load(masterSecret) }
        if redis == nil, FileManager.default.fileExists(atPath: masterSecretFile) {
            return try MasterSecret.load(URL(fileURLWithPath: masterSecretFile).standardizedFileURL.path)
        }
        return nil
    }
}

/// The value of an environment variable, if set and not empty.
func environment(_ name: String) -> String? {
    guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
    return value
}

/// Writes `contents` to a new file only its owner can read.
func writeSecretFile(_ path: String, _ contents: String) throws {
    guard FileManager.default.createFile(atPath: path, contents: Data((contents + "\n").utf8),
                                         attributes: [.posixPermissions: 0o600]) else {
        throw ValidationError("cannot write \(path)")
    }
}

/// Logging to standard error, at `level`, as text or JSON lines.
func bootstrapLogging(level: Logger.Level) {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
}
