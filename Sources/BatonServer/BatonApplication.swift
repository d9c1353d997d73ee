import BatonCore
import BatonRedis
import BatonStore
import Hummingbird
import Logging

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
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        let derivedKeys = try DerivedKeys(masterSecret)
        let codec = RefreshTokenCodec(keys: derivedKeys)
        let registry = ClientRegistry(store: ClientStore(redis: redis))
        let keyring = Keyring(store: KeysetStore(redis: redis), derivedKeys: derivedKeys,
                              retention: 86_400 + configuration.keyRetentionLeeway, logger: logger)
        try await waitForRedis(logger: logger) { try await keyring.ensureActiveKey(now: WallClock.milliseconds() / 1000) }
        let families = FamilyStore(redis: redis)
        let service = TokenService(configuration: configuration, families: families, clients: registry,
                                   keyring: keyring, codec: codec, logger: logger)
        let authenticator = ClientAuthenticator(registry: registry)
        let admin = AdminService(clients: ClientStore(redis: redis), families: families, codec: codec,
                                 defaultPolicy: configuration.defaultPolicy, registry: registry)

        let router = Router()
        router.middlewares.add(ErrorMiddleware())
        OAuthController(service: service, authenticator: authenticator).addRoutes(to: router)
        SessionController(service: service, authenticator: authenticator).addRoutes(to: router)
        WellKnownController(configuration: configuration, keyring: keyring).addRoutes(to: router)
        HealthController(redis: redis, keyring: keyring).addRoutes(to: router)
        AdminController(admin: admin, adminToken: configuration.adminToken, bodyLimit: configuration.bodyLimit)
            .addRoutes(to: router)

        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "baton"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
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

    /// The admin operations on a Redis, for the CLI (`baton clients`, `baton sessions`).
    /// Without the master secret only clients can be managed.
    public static func adminService(redis: RedisClient, masterSecret: MasterSecret?,
                                    defaultPolicy: ClientPolicy = .standard) throws -> AdminService {
        AdminService(clients: ClientStore(redis: redis), families: FamilyStore(redis: redis),
                     codec: try masterSecret.map { RefreshTokenCodec(keys: try DerivedKeys($0)) },
                     defaultPolicy: defaultPolicy, registry: nil)
    }
}
