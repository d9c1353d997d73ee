import BatonAuth
import BatonCore
import BatonRedis
import BatonStore
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds one Baton worker: the composition root, where the stores, the clock and the services
/// are chosen and wired. Both `baton serve` and the tests call this (tests bind port 0 and learn
/// the port from `onServerRunning`, and may pass a `ManualClock`).
///
/// ```swift
/// let app = try await BatonApplication.build(configuration: configuration, stores: .redis(redis),
///                                            masterSecret: secret, logger: logger)
/// try await app.runService()
/// ```
public enum BatonApplication {
    /// The worker's application on its stores (`Stores.redis(_:)`), with its first signing key ensured.
    /// Access lines go to `accessLog` (nil: through `logger`, `LoggerAccessLog`).
    public static func build(
        configuration: ServerConfiguration,
        stores: Stores,
        masterSecret: MasterSecret,
        logger: Logger,
        clock: any WallClock = SystemClock(),
        metrics: BatonMetrics = BatonMetrics(),
        accessLog: (any AccessLog)? = nil,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> BatonWorker {
        let auth = configuration.auth
        let derivedKeys = try DerivedKeys(masterSecret)
        let codec = RefreshTokenCodec(keys: derivedKeys)
        let registry = ClientRegistry(store: stores.clients)
        let sealer = KeySealer(derivedKeys: derivedKeys)
        let keyring = Keyring(store: stores.keyset, sealer: sealer, retention: auth.keyRetention, logger: logger)
        try await waitForStore(logger: logger) {
            try await keyring.ensureActiveKey(now: clock.seconds(), algorithm: auth.signingAlgorithm)
        }
        let keys = KeyManager(store: stores.keyset, sealer: sealer, retention: auth.keyRetention, clock: clock)
        let dpopKeys = DPoPKeyCache()
        let dpop = try TokenService.dpopVerifier(configuration: auth, keys: derivedKeys, keyCache: dpopKeys)
        let revocationDPoP = try TokenService.dpopRevocationVerifier(configuration: auth, keys: derivedKeys, keyCache: dpopKeys)
        let service = TokenService(configuration: auth, families: stores.families, clients: registry, keyring: keyring,
                                   codec: codec, dpop: dpop, revocationDPoP: revocationDPoP, clock: clock, logger: logger,
                                   metrics: metrics)
        let authenticator = ClientAuthenticator(registry: registry)
        let admin = AdminService(clients: stores.clients, families: stores.families, codec: codec,
                                 defaultPolicy: auth.defaultPolicy, registry: registry, clock: clock)

        let router = Router(context: BatonRequestContext.self, options: .autoGenerateHeadEndpoints)
        let accessLog = accessLog ?? LoggerAccessLog(logger: logger)
        router.middlewares.add(ObservabilityMiddleware(metrics: metrics, accessLog: accessLog))
        router.middlewares.add(ErrorMiddleware(metrics: metrics))
        let rateLimiter = RateLimiter(store: stores.rateLimits, configuration: auth)
        let oauth = OAuthController<BatonRequestContext>(service: service, authenticator: authenticator,
                                                         rateLimiter: rateLimiter, bodyLimit: configuration.bodyLimit)
        oauth.addRoutes(to: router)
        SessionController(service: service, authenticator: authenticator, bodyLimit: configuration.bodyLimit)
            .addRoutes(to: router)
        BrowserController<BatonRequestContext>(service: service, registry: registry, rateLimiter: rateLimiter, metrics: metrics,
                                               bodyLimit: configuration.bodyLimit)
            .addRoutes(to: router)
        WellKnownController(configuration: auth, keyring: keyring, clock: clock).addRoutes(to: router)
        HealthController(health: stores.health, keyring: keyring, clock: clock, metrics: metrics).addRoutes(to: router)
        AdminController(admin: admin, keys: keys, keyring: keyring, algorithm: auth.signingAlgorithm,
                        adminToken: configuration.adminToken, bodyLimit: configuration.bodyLimit)
            .addRoutes(to: router)

        let tokenEndpoint = TokenEndpoint(controller: oauth, bodyLimit: configuration.bodyLimit, metrics: metrics,
                                          accessLog: accessLog, logger: logger)
        let server = BatonHTTPServer(responder: router.buildResponder(), tokenEndpoint: tokenEndpoint,
                                     host: configuration.host, port: configuration.port, reusePort: configuration.reusePort,
                                     serverName: "baton", workerID: configuration.workerID,
                                     limits: configuration.connectionLimits, logger: logger,
                                     onServerRunning: onServerRunning)
        var services: [any Service] = [server]
        services.append(ControlChannelListener(channel: stores.control, keyring: keyring, clients: registry,
                                               pollInterval: auth.keysetPollInterval, metrics: metrics, logger: logger))
        if let period = auth.rotationPeriod {
            services.append(RotationScheduler(keys: keys, keyring: keyring, period: period, lead: auth.rotationLead,
                                              algorithm: auth.signingAlgorithm, logger: logger))
        }
        return BatonWorker(services: services, logger: logger)
    }

    /// Runs `step`, retrying for up to a minute while the store is transiently away (restarting,
    /// or loading a large dataset after a restart).
    static func waitForStore(logger: Logger, _ step: () async throws -> Void) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        var announced = false
        while true {
            do {
                return try await step()
            } catch let error as StoreError where error.code == .unavailable && ContinuousClock.now < deadline {
                if !announced {
                    logger.notice("waiting for Redis", metadata: ["redis.error": "\(error)"])
                    announced = true
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// The key operations on a Redis, for the CLI (`baton keys`).
    public static func keyManager(redis: any RedisDeployment, masterSecret: MasterSecret,
                                  retention: Int64 = AuthConfiguration().keyRetention) throws -> KeyManager {
        KeyManager(store: RedisKeysetStore(redis: redis), sealer: KeySealer(derivedKeys: try DerivedKeys(masterSecret)),
                   retention: retention, clock: SystemClock())
    }

    /// The admin operations on a Redis, for the CLI (`baton clients`, `baton sessions`).
    /// Without the master secret only clients can be managed.
    public static func adminService(redis: any RedisDeployment, masterSecret: MasterSecret?,
                                    defaultPolicy: ClientPolicy = .standard) throws -> AdminService {
        AdminService(clients: RedisClientStore(redis: redis), families: RedisFamilyStore(redis: redis),
                     codec: try masterSecret.map { RefreshTokenCodec(keys: try DerivedKeys($0)) },
                     defaultPolicy: defaultPolicy, registry: nil, clock: SystemClock())
    }
}
