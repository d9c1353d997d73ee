import ArgumentParser
import BatonCore
import BatonRedis
import BatonAuth
import BatonServer
import Foundation
import Logging

/// Where the state lives: shared by `serve`, `clients` and `sessions`. Every option can also be
/// set through the `BATON_*` environment variable named in its help.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("redis"), help: "Redis URL: redis://[[user]:password@]host:port[/db], unix:///path, redis-cluster://[[user]:password@]host:port[,host:port…] (seed nodes) or redis-sentinel://[[user]:password@]host:port[,…]/MASTER[?db=N&sentinel_password=P]. Unset: the embedded redis-server in the data directory. [BATON_REDIS]")
    var redisOption: String?

    /// `--redis`, or `$BATON_REDIS`.
    var redis: String? { redisOption ?? environment("BATON_REDIS") }

    @Option(name: .customLong("data-dir"), help: "Data directory of the embedded Redis and its generated secrets. [BATON_DATA_DIR]")
    var dataDirectory: String = environment("BATON_DATA_DIR") ?? "./data"

    @Option(name: .customLong("master-secret"), help: "Master secret: base64 of ≥ 32 bytes, or a file path holding it. Required with --redis. [BATON_MASTER_SECRET]")
    var masterSecretOption: String?

    /// `--master-secret`, or `$BATON_MASTER_SECRET`.
    var masterSecret: String? { masterSecretOption ?? environment("BATON_MASTER_SECRET") }

    @Option(name: .customLong("redis-connections"), help: "Pipelined Redis connections per worker. [BATON_REDIS_CONNECTIONS]")
    var redisConnections: Int = environment("BATON_REDIS_CONNECTIONS").flatMap { Int($0) } ?? 4

    @Option(name: .customLong("redis-timeout-ms"), help: "A Redis command without a reply after this long fails (503). [BATON_REDIS_TIMEOUT_MS]")
    var redisTimeoutMilliseconds: Int = environment("BATON_REDIS_TIMEOUT_MS").flatMap { Int($0) } ?? 500

    /// The master-secret file the embedded default keeps in the data directory.
    var masterSecretFile: String { dataDirectory + "/master.secret" }

    /// The Redis URL to use: the given one, or the embedded server's socket.
    var redisURL: String { redis ?? "unix://" + URL(fileURLWithPath: dataDirectory).standardizedFileURL.path + "/redis.sock" }

    /// The deployment `--redis` names (or the embedded socket), with this command's pool size and
    /// timeout. A malformed URL is an error that names the problem and never repeats the password.
    func topology(url: String? = nil, connections: Int? = nil) throws -> RedisTopology {
        let timeout = Duration.milliseconds(redisTimeoutMilliseconds)
        do {
            return try RedisTopology(url: url ?? redisURL).configured {
                $0.connectionCount = connections ?? redisConnections
                $0.commandTimeout = timeout
            }
        } catch let error as RedisError {
            throw ValidationError("--redis: \(error.message)")
        }
    }

    /// Runs a management command's `body` with a connected Redis deployment, closing it afterwards
    /// whatever happens; an error meant for a client (`BatonError`) becomes a plain CLI error.
    func withRedis<T>(_ body: (any RedisDeployment) async throws -> T) async throws -> T {
        let topology = try topology(connections: 1)
        let client = topology.connect()
        do {
            do {
                try await client.waitUntilReady(timeout: .seconds(5))
            } catch {
                throw ValidationError("cannot reach Redis at \(redis == nil ? "the embedded socket (is `baton serve` running?)" : "--redis (\(topology))"): \(error)")
            }
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch let error as BatonError {
            await client.shutdown()
            throw ValidationError(error.hint)
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// The master secret, required: managing sessions and keys needs it.
    func requiredMasterSecret(for purpose: String) throws -> MasterSecret {
        guard let secret = try existingMasterSecret() else {
            throw ValidationError("\(purpose) needs the master secret (--master-secret or BATON_MASTER_SECRET)")
        }
        return secret
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

extension StoreOptions {
    /// The configured secret; with the embedded default, the one in the data directory (generated
    /// on first start); with a shared Redis, no secret is an error.
    func masterSecret(logger: Logger) throws -> MasterSecret {
        if let existing = try existingMasterSecret() { return existing }
        guard redis == nil else {
            throw ValidationError("--redis points at a shared Redis: set the same --master-secret (BATON_MASTER_SECRET) on every worker")
        }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let secret = try MasterSecret.generate()
        try writeSecretFile(masterSecretFile, secret.base64)
        logger.warning("""
            GENERATED A NEW MASTER SECRET in \(masterSecretFile) (mode 0600). Every token depends on it: \
            back it up, and give the same secret to every worker (BATON_MASTER_SECRET) before running more than one.
            """)
        return secret
    }

    /// The embedded default's admin token, kept in the data directory.
    func generatedAdminToken(logger: Logger) throws -> String {
        let path = dataDirectory + "/admin.token"
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let token = try MasterSecret.generate().base64
        try writeSecretFile(path, token)
        logger.notice("generated an admin token in \(path) (mode 0600)")
        return token
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

/// Logging to standard error, at `level`, as text or (`json`) one JSON object per line, written off
/// the caller's thread (`LogWriter`; `LogWriter.standardError.flush()` before exiting). Returns the format.
@discardableResult
func bootstrapLogging(level: String, format: String) throws -> LogLine.Format {
    guard let level = Logger.Level(rawValue: level) else { throw ValidationError("unknown --log-level \(level)") }
    guard let format = LogLine.Format(rawValue: format) else { throw ValidationError("--log-format is text or json") }
    LoggingSystem.bootstrap { label in
        var handler = LineLogHandler(label: label, format: format, writer: .standardError)
        handler.logLevel = level
        return handler
    }
    return format
}
