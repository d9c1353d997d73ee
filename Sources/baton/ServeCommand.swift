import ArgumentParser
import BatonAuth
import BatonCore
import BatonCrypto
import BatonRedis
import BatonServer
import BatonSystem
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// `baton serve`: one worker. Without --redis it runs its own redis-server (the embedded default).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run one Baton worker (with an embedded redis-server unless --redis is given)."
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "Address to bind. [BATON_HOST]")
    var host: String = environment("BATON_HOST") ?? "127.0.0.1"

    @Option(help: "Port to bind (0: any free port). [BATON_PORT]")
    var port: Int = environment("BATON_PORT").flatMap { Int($0) } ?? 8080

    @Option(name: .customLong("issuer"), help: "The issuer (iss) of every token; defaults to http://HOST:PORT. [BATON_ISSUER]")
    var issuerOption: String?

    /// `--issuer`, or `$BATON_ISSUER`.
    var issuer: String? { issuerOption ?? environment("BATON_ISSUER") }

    @Option(name: .customLong("admin-token"), help: "Bearer token for /admin. The embedded default generates one into the data directory. [BATON_ADMIN_TOKEN]")
    var adminTokenOption: String?

    /// `--admin-token`, or `$BATON_ADMIN_TOKEN`.
    var adminToken: String? { adminTokenOption ?? environment("BATON_ADMIN_TOKEN") }

    @Option(name: .customLong("access-token-ttl"), help: "Default access-token lifetime, seconds. [BATON_ACCESS_TOKEN_TTL]")
    var accessTokenTTL: Int = environment("BATON_ACCESS_TOKEN_TTL").flatMap { Int($0) } ?? ClientPolicy.standard.accessTokenTTL

    @Option(name: .customLong("idle-timeout"), help: "Default sliding session idle timeout, seconds. [BATON_IDLE_TIMEOUT]")
    var idleTimeout: Int = environment("BATON_IDLE_TIMEOUT").flatMap { Int($0) } ?? ClientPolicy.standard.idleTimeout

    @Option(name: .customLong("absolute-lifetime"), help: "Default absolute session lifetime, seconds. [BATON_ABSOLUTE_LIFETIME]")
    var absoluteLifetime: Int = environment("BATON_ABSOLUTE_LIFETIME").flatMap { Int($0) } ?? ClientPolicy.standard.absoluteLifetime

    @Option(name: .customLong("grace-period"), help: "Default refresh grace window, seconds (0 disables). [BATON_GRACE_PERIOD]")
    var gracePeriod: Int = environment("BATON_GRACE_PERIOD").flatMap { Int($0) } ?? ClientPolicy.standard.gracePeriod

    @Option(name: .customLong("body-limit"), help: "Largest request body in bytes (413 beyond). [BATON_BODY_LIMIT]")
    var bodyLimit: Int = environment("BATON_BODY_LIMIT").flatMap { Int($0) } ?? 16 * 1024

    @Option(name: .customLong("keep-alive-timeout"), help: "Close a connection idle between requests this long (e.g. 60s). [BATON_KEEP_ALIVE_TIMEOUT]")
    var keepAliveTimeout: String = environment("BATON_KEEP_ALIVE_TIMEOUT") ?? "60s"

    @Option(name: .customLong("header-timeout"), help: "A request's head must arrive within this (else 408). [BATON_HEADER_TIMEOUT]")
    var headerTimeout: String = environment("BATON_HEADER_TIMEOUT") ?? "10s"

    @Option(name: .customLong("body-timeout"), help: "A request's body must arrive within this of its head (else 408). [BATON_BODY_TIMEOUT]")
    var bodyTimeout: String = environment("BATON_BODY_TIMEOUT") ?? "30s"

    @Option(name: .customLong("max-connections"), help: "Connections one worker holds open; more are answered 503. [BATON_MAX_CONNECTIONS]")
    var maxConnections: Int = environment("BATON_MAX_CONNECTIONS").flatMap { Int($0) } ?? 10_000

    @Option(name: .customLong("signing-alg"), help: "Algorithm of keys this worker generates: ES256, EdDSA or RS256. [BATON_SIGNING_ALG]")
    var signingAlgorithm: String = environment("BATON_SIGNING_ALG") ?? "ES256"

    @Option(name: .customLong("rotate-every"), help: "Rotate signing keys on this schedule (e.g. 24h); one worker does each rotation. [BATON_ROTATE_EVERY]")
    var rotateEveryOption: String?

    /// `--rotate-every`, or `$BATON_ROTATE_EVERY`.
    var rotateEvery: String? { rotateEveryOption ?? environment("BATON_ROTATE_EVERY") }

    @Option(name: .customLong("rotation-lead"), help: "How long a new key is published before it signs (e.g. 5m). [BATON_ROTATION_LEAD]")
    var rotationLead: String = environment("BATON_ROTATION_LEAD") ?? "5m"

    @Option(name: .customLong("keyset-poll-ms"), help: "How often to check the keyset version in case a broadcast was lost. [BATON_KEYSET_POLL_MS]")
    var keysetPollMilliseconds: Int = environment("BATON_KEYSET_POLL_MS").flatMap { Int($0) } ?? 1000

    @Option(name: .customLong("rate-limit-client"), help: "Token requests per second allowed per client, shared by all workers (unset: no limit). [BATON_RATE_LIMIT_CLIENT]")
    var rateLimitClientOption: Int?

    @Option(name: .customLong("rate-limit-address"), help: "Token requests per second allowed per source address (unset: no limit). [BATON_RATE_LIMIT_ADDRESS]")
    var rateLimitAddressOption: Int?

    @Flag(name: .customLong("dpop-nonces"), help: "Every client's DPoP proofs must carry a server nonce (RFC 9449 §8; a client's own dpop_nonce asks for it alone). [BATON_DPOP_NONCES=1]")
    var dpopNoncesFlag = false

    /// `--dpop-nonces`, or `$BATON_DPOP_NONCES` set to 1 or true.
    var dpopNonces: Bool { dpopNoncesFlag || ["1", "true"].contains(environment("BATON_DPOP_NONCES")?.lowercased() ?? "") }

    @Option(name: .customLong("dpop-iat-window"), help: "How far a DPoP proof's iat may be from the worker's time, seconds either side; a proof's jti is remembered for twice this plus 10 s. [BATON_DPOP_IAT_WINDOW]")
    var dpopIssuedAtWindow: Int = environment("BATON_DPOP_IAT_WINDOW").flatMap { Int($0) } ?? Int(DPoPProofVerifier.defaultIssuedAtWindowSeconds)

    @Flag(name: .customLong("reuse-port"), help: "Set SO_REUSEPORT so several workers can share the port (baton cluster does).")
    var reusePort = false

    @Option(name: .customLong("worker-id"), help: "This worker's name in the Baton-Worker header and logs (default: its pid). [BATON_WORKER_ID]")
    var workerID: String = environment("BATON_WORKER_ID") ?? String(getpid())

    @Option(name: .customLong("event-loops"), help: "Event-loop threads serving HTTP and Redis (default: one per core). [BATON_EVENT_LOOPS]")
    var eventLoops: Int = environment("BATON_EVENT_LOOPS").flatMap { Int($0) } ?? System.coreCount

    @Option(name: .customLong("log-format"), help: "text, or json for one JSON object per line. [BATON_LOG_FORMAT]")
    var logFormat: String = environment("BATON_LOG_FORMAT") ?? "text"

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical. [BATON_LOG_LEVEL]")
    var logLevel: String = environment("BATON_LOG_LEVEL") ?? "info"

    @Option(name: .customLong("redis-wait-replicas"), help: "After each rotation, session creation, revocation and logout everywhere, WAIT for this many replicas to acknowledge before answering (0: do not wait). [BATON_REDIS_WAIT_REPLICAS]")
    var redisWaitReplicas: Int = environment("BATON_REDIS_WAIT_REPLICAS").flatMap { Int($0) } ?? 0

    @Option(name: .customLong("redis-wait-timeout-ms"), help: "The longest such a WAIT lasts; fewer acknowledgements are counted in baton_redis_replica_wait_shortfalls_total. [BATON_REDIS_WAIT_TIMEOUT_MS]")
    var redisWaitTimeoutMilliseconds: Int = environment("BATON_REDIS_WAIT_TIMEOUT_MS").flatMap { Int($0) } ?? 50

    /// The WAIT behind family writes, if `--redis-wait-replicas` asks for one.
    func replicaWait() throws -> ReplicaWait? {
        guard redisWaitReplicas >= 0 else { throw ValidationError("--redis-wait-replicas must be 0 or more") }
        guard redisWaitReplicas > 0 else { return nil }
        // A WAIT holds up every command pipelined behind it on its connection: it must end well
        // before those commands' own timeout.
        guard redisWaitTimeoutMilliseconds >= 1, redisWaitTimeoutMilliseconds < store.redisTimeoutMilliseconds else {
            throw ValidationError("--redis-wait-timeout-ms must be at least 1 and below --redis-timeout-ms (\(store.redisTimeoutMilliseconds))")
        }
        return ReplicaWait(replicas: redisWaitReplicas, timeout: .milliseconds(redisWaitTimeoutMilliseconds))
    }

    func run() async throws {
        guard (1...256).contains(eventLoops) else { throw ValidationError("--event-loops must be between 1 and 256") }
        NIOSingletons.groupLoopCountSuggestion = eventLoops  // before anything starts the loops
        let format = try bootstrapLogging(level: logLevel, format: logFormat)
        defer { LogWriter.standardError.flush() }
        var logger = Logger(label: "baton")
        logger[metadataKey: "baton.worker"] = "\(workerID)"
        let policy = ClientPolicy(accessTokenTTL: accessTokenTTL, idleTimeout: idleTimeout,
                                  absoluteLifetime: absoluteLifetime, gracePeriod: gracePeriod)
        do { try policy.validate() } catch let error as BatonError { throw ValidationError(error.hint) }

        let embedded = store.redis == nil
        let secret = try store.masterSecret(logger: logger)
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.auth.issuer = issuer ?? "http://\(host):\(port)"
        configuration.adminToken = try adminToken ?? (embedded ? store.generatedAdminToken(logger: logger) : nil)
        configuration.auth.defaultPolicy = policy
        configuration.bodyLimit = bodyLimit
        for (name, text) in [("--keep-alive-timeout", keepAliveTimeout), ("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout)] {
            guard try parseSeconds(text, option: name) >= 1 else { throw ValidationError("\(name) must be at least 1s") }
        }
        configuration.keepAliveTimeout = .seconds(try parseSeconds(keepAliveTimeout, option: "--keep-alive-timeout"))
        configuration.headerTimeout = .seconds(try parseSeconds(headerTimeout, option: "--header-timeout"))
        configuration.bodyTimeout = .seconds(try parseSeconds(bodyTimeout, option: "--body-timeout"))
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        configuration.maxConnections = maxConnections
        configuration.reusePort = reusePort
        configuration.auth.rateLimitPerClient = rateLimitClientOption ?? environment("BATON_RATE_LIMIT_CLIENT").flatMap { Int($0) }
        configuration.auth.rateLimitPerAddress = rateLimitAddressOption ?? environment("BATON_RATE_LIMIT_ADDRESS").flatMap { Int($0) }
        for limit in [configuration.auth.rateLimitPerClient, configuration.auth.rateLimitPerAddress].compactMap({ $0 }) where limit < 1 {
            throw ValidationError("rate limits are requests per second, at least 1")
        }
        configuration.workerID = workerID
        guard (1...3_600).contains(dpopIssuedAtWindow) else { throw ValidationError("--dpop-iat-window must be 1 to 3600 seconds") }
        configuration.auth.dpopIssuedAtWindow = Int64(dpopIssuedAtWindow)
        configuration.auth.dpopNoncesRequired = dpopNonces
        guard let algorithm = SigningAlgorithm(rawValue: signingAlgorithm) else {
            throw ValidationError("unknown --signing-alg \(signingAlgorithm): use ES256, EdDSA or RS256")
        }
        configuration.auth.signingAlgorithm = algorithm
        configuration.auth.rotationLead = try parseSeconds(rotationLead, option: "--rotation-lead")
        configuration.auth.rotationPeriod = try rotateEvery.map { try parseSeconds($0, option: "--rotate-every") }
        configuration.auth.keysetPollInterval = .milliseconds(max(10, keysetPollMilliseconds))
        if let period = configuration.auth.rotationPeriod, period < 1 { throw ValidationError("--rotate-every must be at least 1s") }
        if configuration.adminToken == nil {
            logger.warning("no admin token configured: the /admin API is disabled")
        }

        let wait = try replicaWait()
        if !embedded { _ = try store.topology() }  // a malformed --redis fails before anything starts
        let redisServer = embedded ? try await EmbeddedRedis.start(dataDirectory: store.dataDirectory, logger: logger) : nil
        let topology = try store.topology(url: redisServer?.url)
        let redis = topology.connect()
        let metrics = BatonMetrics()
        metrics.readDroppedLogLines { LogWriter.standardError.dropped }
        metrics.readRedisRouting {
            let routing = redis.routing
            return (routing.moved, routing.ask, routing.primaryChanges)
        }
        do {
            try await redis.waitUntilReady(timeout: .seconds(10))
            logger.info("redis ready", metadata: ["redis.deployment": "\(topology)"])
            let stores = Stores.redis(redis, replicaWait: wait) { metrics.replicaWaitShortfall() }
            let app = try await BatonApplication.build(configuration: configuration, stores: stores, masterSecret: secret,
                                                       logger: logger, metrics: metrics,
                                                       accessLog: LineAccessLog(logger: logger, format: format, writer: .standardError))
            let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint],
                                                          logger: logger))
            try await group.run()
            logger.info("draining: closing Redis connections")
        } catch {
            await redis.shutdown()
            await redisServer?.stop()
            throw error
        }
        await redis.shutdown()
        logger.info("redis connections closed")
        await redisServer?.stop()
        logger.info("stopped")
    }
}
