import BatonCore
import BatonCrypto
import BatonRedis
import BatonStore
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds one Baton worker: the HTTP application on its Redis. Both `baton serve` and the tests
/// call this (tests bind port 0 and learn the port from `onServerRunning`).
///
/// ```swift
/// let app = try await BatonApplication.build(configuration: configuration, redis: redis,
///                                            masterSecret: secret, logger: logger)
/// try await app.runService()
/// ```
public enum BatonApplication {
    /// The worker's application, with its first signing key ensured.
    public static func build(
        configuration: ServerConfiguration,
        redis: RedisClient,
        masterSecret: MasterSecret,
        logger: Logger,
        metrics: BatonMetrics = BatonMetrics(),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> BatonWorker {
        let derivedKeys = try DerivedKeys(masterSecret)
        let codec = RefreshTokenCodec(keys: derivedKeys)
        let registry = ClientRegistry(store: ClientStore(redis: redis))
        guard let algorithm = SigningAlgorithm(rawValue: configuration.signingAlgorithm) else {
            throw ConfigurationError("unknown signing algorithm \(configuration.signingAlgorithm): use ES256, EdDSA or RS256")
        }
        let sealer = KeySealer(derivedKeys: derivedKeys)
        let keysetStore = KeysetStore(redis: redis)
        let keyring = Keyring(store: keysetStore, sealer: sealer, retention: configuration.keyRetention, logger: logger)
        try await waitForRedis(logger: logger) {
            try await keyring.ensureActiveKey(now: WallClock.milliseconds() / 1000, algorithm: algorithm)
        }
        let keys = KeyManager(store: keysetStore, sealer: sealer, retention: configuration.keyRetention)
        let families = FamilyStore(redis: redis)
        let service = TokenService(configuration: configuration, families: families, clients: registry,
                                   keyring: keyring, codec: codec, logger: logger, metrics: metrics)
        let authenticator = ClientAuthenticator(registry: registry)
        let admin = AdminService(clients: ClientStore(redis: redis), families: families, codec: codec,
                                 defaultPolicy: configuration.defaultPolicy, registry: registry)

        let router = Router(context: BatonRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.middlewares.add(ObservabilityMiddleware(metrics: metrics))
        router.middlewares.add(ErrorMiddleware(metrics: metrics))
        let rateLimiter = RateLimiter(store: RateLimitStore(redis: redis), perClient: configuration.rateLimitPerClient,
                                      perAddress: configuration.rateLimitPerAddress, window: configuration.rateLimitWindow)
        let oauth = OAuthController<BatonRequestContext>(service: service, authenticator: authenticator, rateLimiter: rateLimiter)
        oauth.addRoutes(to: router)
        SessionController(service: service, authenticator: authenticator).addRoutes(to: router)
        WellKnownController(configuration: configuration, keyring: keyring).addRoutes(to: router)
        HealthController(redis: redis, keyring: keyring, metrics: metrics).addRoutes(to: router)
        AdminController(admin: admin, keys: keys, keyring: keyring, algorithm: algorithm,
                        adminToken: configuration.adminToken, bodyLimit: configuration.bodyLimit)
            .addRoutes(to: router)

        let server = BatonHTTPServer(responder: router.buildResponder(),
                                     tokenEndpoint: TokenEndpoint(controller: oauth, metrics: metrics, logger: logger), host: configuration.host, port: configuration.port,
                                     reusePort: configuration.reusePort, serverName: "baton", workerID: configuration.workerID, logger: logger,
                                     onServerRunning: onServerRunning)
        var services: [any Service] = [server]
        services.append(ControlChannelListener(redis: redis, keyring: keyring, clients: registry,
                                               pollInterval: configuration.keysetPollInterval, metrics: metrics, logger: logger))
        if let period = configuration.rotationPeriod {
            services.append(RotationScheduler(keys: keys, keyring: keyring, period: period,
                                              lead: configuration.rotationLead, algorithm: algorithm, logger: logger))
        }
        return BatonWorker(services: services, logger: logger)
    }

    /// Runs `step`, retrying for up to a minute while Redis is transiently away (restarting, or
    /// loading a large dataset after a restart).
    static func waitForRedis(logger: Logger, _ step: () async throws -> Void) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        var announced = false
        while true {
            do {
                return try await step()
            } catch let error as RedisError where error.isTransient && ContinuousClock.now < deadline {
                if !announced {
                    logger.notice("waiting for Redis", metadata: ["redis.error": "\(error)"])
                    announced = true
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// The key operations on a Redis, for the CLI (`baton keys`).
    public static func keyManager(redis: RedisClient, masterSecret: MasterSecret,
                                  retention: Int64 = ServerConfiguration().keyRetention) throws -> KeyManager {
        KeyManager(store: KeysetStore(redis: redis), sealer: KeySealer(derivedKeys: try DerivedKeys(masterSecret)),
                   retention: retention)
    }

    /// The admin operations on a Redis, for the CLI (`baton clients`, `baton sessions`).
    /// Without the master secret only clients can be managed.
    public static func adminService(redis: RedisClient, masterSecret: MasterSecret?,
                                    defaultPolicy: ClientPolicy = .standard) throws -> AdminService {
        AdminService(clients: ClientStore(redis: redis), families: FamilyStore(redis: redis),
                     codec: try masterSecret.map { RefreshTokenCodec(keys: try DerivedKeys($0)) },
                     defaultPolicy: defaultPolicy, registry: nil)
    }
}
