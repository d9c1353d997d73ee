import BatonSystem
import Foundation
import Synchronization

/// A real Sentinel deployment on loopback: one primary, `replicas` replicas (`--replicaof`) and
/// `sentinels` `redis-server --sentinel` processes watching it as `masterName`, with a short
/// `down-after-milliseconds` so a killed primary is replaced within seconds. Waited for until
/// every replica is in sync and every sentinel knows the others and the replicas. Stopped by pid.
///
/// ```swift
/// let deployment = try await RedisSentinelServers.start()
/// defer { deployment.stop() }
/// let url = deployment.url   // redis-sentinel://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3/baton
/// ```
public final class RedisSentinelServers: Sendable {
    /// The data servers, the first primary at the start.
    public let servers: [RedisServer]
    /// The sentinel processes.
    public let sentinels: [RedisServer]
    /// The name the sentinels monitor the primary under.
    public let masterName: String
    /// The data servers' password (`requirepass`, `masterauth`), if any.
    public let password: String?
    /// The sentinels' own password (`requirepass`), if any.
    public let sentinelPassword: String?
    private let stopped = Atomic<Bool>(false)

    private init(servers: [RedisServer], sentinels: [RedisServer], masterName: String, password: String?, sentinelPassword: String?) {
        self.servers = servers
        self.sentinels = sentinels
        self.masterName = masterName
        self.password = password
        self.sentinelPassword = sentinelPassword
    }

    /// The `redis-sentinel://` URL naming every sentinel and the primary, with the passwords.
    public var url: String {
        "redis-sentinel://" + (password.map { ":\($0)@" } ?? "") + sentinels.map { "127.0.0.1:\($0.port)" }.joined(separator: ",")
            + "/" + masterName + (sentinelPassword.map { "?sentinel_password=\($0)" } ?? "")
    }

    /// Starts the servers and sentinels and waits until the deployment is whole; with `password`
    /// the servers require it (and replicas use it), with `sentinelPassword` the sentinels do.
    public static func start(replicas: Int = 2, sentinels sentinelCount: Int = 3, masterName: String = "baton",
                             downAfterMilliseconds: Int = 1000, failoverTimeoutMilliseconds: Int = 5000,
                             password: String? = nil, sentinelPassword: String? = nil) async throws -> RedisSentinelServers {
        await DeploymentGate.shared.acquire()
        var servers: [RedisServer] = []
        var sentinels: [RedisServer] = []
        do {
            let auth = password.map { ["--masterauth", $0] } ?? []
            let primary = try await RedisServer.start(password: password, extraArguments: auth)
            servers.append(primary)
            for _ in 0..<replicas {
                servers.append(try await RedisServer.start(password: password,
                                                           extraArguments: auth + ["--replicaof", "127.0.0.1", String(primary.port)]))
            }
            var configuration = """
                sentinel monitor \(masterName) 127.0.0.1 \(primary.port) \(sentinelCount / 2 + 1)
                sentinel down-after-milliseconds \(masterName) \(downAfterMilliseconds)
                sentinel failover-timeout \(masterName) \(failoverTimeoutMilliseconds)
                sentinel parallel-syncs \(masterName) 1

                """
            if let password { configuration += "sentinel auth-pass \(masterName) \(password)\n" }
            if let sentinelPassword { configuration += "requirepass \(sentinelPassword)\nsentinel sentinel-pass \(sentinelPassword)\n" }
            for _ in 0..<sentinelCount { sentinels.append(try await RedisServer.startSentinel(configuration: configuration)) }
            let deployment = RedisSentinelServers(servers: servers, sentinels: sentinels, masterName: masterName, password: password,
                                                  sentinelPassword: sentinelPassword)
            try await poll("the replicas to sync and the sentinels to know each other", timeout: .seconds(30),
                           every: .milliseconds(100)) {
                try await deployment.isWhole(replicas: replicas, sentinels: sentinelCount)
            }
            return deployment
        } catch {
            for server in servers + sentinels { server.stop() }
            await DeploymentGate.shared.release()
            throw error
        }
    }

    /// Stops every server and sentinel and removes their directories (once; later calls do nothing).
    public func stop() {
        guard stopped.exchange(true, ordering: .relaxed) == false else { return }
        for server in sentinels + servers { server.stop() }
        Task { await DeploymentGate.shared.release() }
    }

    /// The server the sentinels name as primary now (asking each sentinel until one answers).
    public func currentPrimary() async throws -> RedisServer {
        for sentinel in sentinels {
            guard let output = try? await cli(sentinel.port, ["SENTINEL", "get-master-addr-by-name", masterName],
                                              password: sentinelPassword) else { continue }
            let lines = output.split(separator: "\n")
            if lines.count == 2, let port = Int(lines[1]), let server = servers.first(where: { $0.port == port }) { return server }
        }
        throw LocalServerError("no sentinel named a primary for \(masterName)")
    }

    /// Runs `redis-cli -p port arguments…` (with `password` if given) and returns its output.
    public func cli(_ port: Int, _ arguments: [String], password: String? = nil) async throws -> String {
        let auth = password.map { ["--no-auth-warning", "-a", $0] } ?? []
        let result = try await runToCompletion("redis-cli", ["-p", String(port)] + auth + arguments, timeout: .seconds(30))
        guard result.status == 0 else { throw LocalServerError("redis-cli \(arguments) failed: \(result.output)") }
        return result.output
    }

    /// Whether every replica's link is up and every sentinel sees the replicas and the other sentinels.
    private func isWhole(replicas: Int, sentinels sentinelCount: Int) async throws -> Bool {
        for replica in servers.dropFirst() {
            guard try await cli(replica.port, ["INFO", "replication"], password: password).contains("master_link_status:up") else {
                return false
            }
        }
        for sentinel in sentinels {
            let fields = try await cli(sentinel.port, ["SENTINEL", "MASTER", masterName], password: sentinelPassword)
                .split(separator: "\n").map(String.init)
            func value(_ name: String) -> String? { fields.firstIndex(of: name).flatMap { $0 + 1 < fields.count ? fields[$0 + 1] : nil } }
            guard value("num-slaves") == String(replicas), value("num-other-sentinels") == String(sentinelCount - 1) else {
                return false
            }
        }
        return true
    }
}
