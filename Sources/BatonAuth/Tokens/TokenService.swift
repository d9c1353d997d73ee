import BatonCore
import BatonCrypto
import Logging

/// The token rules of one worker, independent of HTTP: creating sessions, rotating refresh
/// tokens, client credentials, revocation and introspection. A token is parsed, checked, decided
/// and minted here; controllers only decode requests and encode responses.
///
/// ```swift
/// let service = TokenService(configuration: configuration, families: stores.families, clients: registry,
///                            keyring: keyring, codec: codec, clock: SystemClock(), logger: logger)
/// let response = try await service.refresh(client: client, form: form)
/// ```
public struct TokenService: Sendable {
    /// The issuer and client defaults.
    public let configuration: AuthConfiguration
    let families: any FamilyStore
    let clients: ClientRegistry
    let keyring: Keyring
    let codec: RefreshTokenCodec
    let clock: any WallClock
    let logger: Logger
    let metrics: any AuthMetrics

    /// Creates the service over its stores, keys and clock.
    public init(configuration: AuthConfiguration, families: any FamilyStore, clients: ClientRegistry, keyring: Keyring,
                codec: RefreshTokenCodec, clock: any WallClock, logger: Logger, metrics: any AuthMetrics = DiscardedMetrics()) {
        self.configuration = configuration
        self.families = families
        self.clients = clients
        self.keyring = keyring
        self.codec = codec
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
    }

    /// Signs an access token with the active key.
    func accessToken(for client: Client, subject: String, scope: String, sessionID: String?, authTime: Int64?,
                     extraMembers: [UInt8], at milliseconds: Int64) throws -> (token: [UInt8], expiresIn: Int64, keyID: String) {
        let seconds = milliseconds / 1000
        guard let key = keyring.activeKey(at: seconds) else {
            throw BatonError(.temporarilyUnavailable, hint: "no signing key is active", debug: "keyset has no active key")
        }
        let ttl = Int64(client.policy.accessTokenTTL)
        let claims = AccessClaims(
            issuer: configuration.issuer, subject: subject, audience: client.audience ?? configuration.issuer,
            clientID: client.id, scope: scope, sessionID: sessionID, issuedAt: seconds, expiresAt: seconds + ttl,
            jwtID: Base64URL.encodeToString(try Random.bytes(count: 16)), authTime: authTime, extraMembers: extraMembers)
        return (try key.sign(claims), ttl, key.keyID)
    }
}

extension TokenService: RedactedDescription {
    /// Its issuer; not the codec's keys or the stores.
    public var publicFields: KeyValuePairs<String, Any> { ["issuer": configuration.issuer] }
}
