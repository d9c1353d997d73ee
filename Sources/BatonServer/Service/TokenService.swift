import BatonCore
import BatonCrypto
import BatonStore
import Logging

/// The token logic of one worker, independent of HTTP: creating sessions, rotating refresh
/// tokens, client credentials, revocation and introspection. Controllers only decode and encode.
struct TokenService: Sendable {
    let configuration: ServerConfiguration
    let families: FamilyStore
    let clients: ClientRegistry
    let keyring: Keyring
    let codec: RefreshTokenCodec
    let logger: Logger
    let metrics: BatonMetrics
    /// The wall clock in milliseconds; tests may pass another.
    var now: @Sendable () -> Int64 = { WallClock.milliseconds() }

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
