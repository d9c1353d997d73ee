import BatonCore
import BatonCrypto
import Logging

/// The token rules of one worker, independent of HTTP: creating sessions, rotating refresh
/// tokens, client credentials, revocation and introspection. A token is parsed, checked, decided
/// and minted here; controllers only decode requests and encode responses.
///
/// ```swift
/// let dpop = try TokenService.dpopVerifier(configuration: configuration, keys: derivedKeys)
/// let revocationDPoP = try TokenService.dpopRevocationVerifier(configuration: configuration, keys: derivedKeys)
/// let service = TokenService(configuration: configuration, families: stores.families, clients: registry,
///                            keyring: keyring, codec: codec, dpop: dpop, revocationDPoP: revocationDPoP,
///                            clock: SystemClock(), logger: logger)
/// let response = try await service.refresh(client: client, form: form, dpopProofs: dpopHeaderValues)
/// ```
public struct TokenService: Sendable {
    /// The issuer and client defaults.
    public let configuration: AuthConfiguration
    let families: any FamilyStore
    let clients: ClientRegistry
    let keyring: Keyring
    let codec: RefreshTokenCodec
    /// Checks DPoP proofs (RFC 9449) at the token endpoint and makes their nonces.
    let dpop: DPoPProofVerifier
    /// Checks DPoP proofs at the revocation endpoint (a public client revoking a bound family).
    let revocationDPoP: DPoPProofVerifier
    let clock: any WallClock
    let logger: Logger
    let metrics: any AuthMetrics

    /// Creates the service over its stores, keys and clock; `dpop` checks proofs for the token
    /// endpoint (`dpopVerifier(configuration:keys:)`), `revocationDPoP` for the revocation endpoint
    /// (`dpopRevocationVerifier(configuration:keys:)`).
    public init(configuration: AuthConfiguration, families: any FamilyStore, clients: ClientRegistry, keyring: Keyring,
                codec: RefreshTokenCodec, dpop: DPoPProofVerifier, revocationDPoP: DPoPProofVerifier, clock: any WallClock,
                logger: Logger, metrics: any AuthMetrics = DiscardedMetrics()) {
        self.configuration = configuration
        self.families = families
        self.clients = clients
        self.keyring = keyring
        self.codec = codec
        self.dpop = dpop
        self.revocationDPoP = revocationDPoP
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
    }

    /// The token response's body, written once: an access token for `client` signed with the
    /// active key, and, with a `refresh` generation, the family's refresh token, minted in place.
    /// `sessionMember` adds the session id to the body (session creation), `handoffCode` a cookie-mode
    /// session's `handoff_code` and its `handoff_expires_in`. With a `confirmation`
    /// thumbprint the access token is DPoP-bound (`cnf.jkt`, RFC 9449 §6.1) and the `token_type`
    /// is `DPoP` (§5), else `Bearer`.
    func tokenResponse(for client: Client, subject: String, scope: String, session: SessionID?, refresh generation: UInt64?,
                       sessionMember: Bool = false, handoffCode: String? = nil, authTime: Int64?, extraMembers: [UInt8], confirmation: String? = nil,
                       at milliseconds: Int64) throws -> TokenResponse {
        let seconds = milliseconds / 1000
        guard let key = keyring.activeKey(at: seconds) else {
            throw BatonError(.temporarilyUnavailable, hint: "no signing key is active", debug: "keyset has no active key")
        }
        let ttl = Int64(client.policy.accessTokenTTL)
        let sessionID = session?.description
        let claims = AccessClaims(
            issuer: configuration.issuer, subject: subject, audience: client.audience ?? configuration.issuer,
            clientID: client.id, scope: scope, sessionID: sessionID, issuedAt: seconds, expiresAt: seconds + ttl,
            jwtID: Base64URL.encodeToString(try Random.bytes(count: 16)), authTime: authTime, extraMembers: extraMembers,
            confirmationThumbprint: confirmation)
        var body = JSONWriter(capacity: 1024 + 2 * extraMembers.count)
        let access = try body.member("access_token") { try key.sign(claims, appendingTo: &$0) }
        body.member("token_type", confirmation == nil ? "Bearer" : "DPoP")
        body.member("expires_in", ttl)
        var refresh: Range<Int>?
        if let session, let generation {
            refresh = try body.member("refresh_token") { try codec.appendToken(for: session, generation: generation, to: &$0) }
        }
        if !scope.isEmpty { body.member("scope", scope) }
        if sessionMember, let sessionID { body.member("session_id", sessionID) }
        if let handoffCode {
            body.member("handoff_code", handoffCode)
            body.member("handoff_expires_in", HandoffCode.lifetimeMilliseconds / 1000)
        }
        return TokenResponse(json: body.finish(), accessTokenRange: access, refreshTokenRange: refresh, expiresIn: ttl, scope: scope,
                             sessionID: sessionMember ? sessionID : nil, keyID: key.keyID)
    }
}

extension TokenService: RedactedDescription {
    /// Its issuer; not the codec's keys or the stores.
    public var publicFields: KeyValuePairs<String, Any> { ["issuer": configuration.issuer] }
}
