@testable import BatonAuth
import BatonCore
import BatonCrypto
import Foundation
import Testing

/// DPoP (RFC 9449) through `TokenService`: a bound session refreshes only with proofs for its key,
/// every refusal leaves the family as it was (a thief without the key neither refreshes nor logs
/// the user out), and the service's own checks come before any Redis call. Held by the in-memory
/// store and the Lua scripts on a real redis-server, a Redis Cluster and a Sentinel-managed primary.
@Suite(.serialized, .sharedRedisDeployments) struct TokenServiceDPoPTests {
    /// The harness's issuer is the one `DPoPProofMaker`'s proofs name in `htu`.
    static var configuration: AuthConfiguration {
        var configuration = AuthConfiguration()
        configuration.issuer = "https://baton.example"
        return configuration
    }

    static let requireDPoP = ClientPolicy(accessTokenTTL: 300, idleTimeout: 14 * 86_400, absoluteLifetime: 90 * 86_400,
                                          gracePeriod: 10, requireDPoP: true)

    /// The BatonError `body` ends in, or nil if it succeeded.
    func refusal(_ body: () async throws -> Any) async throws -> BatonError? {
        do {
            _ = try await body()
            return nil
        } catch let error as BatonError {
            return error
        }
    }

    /// The access token's claims.
    func claims(_ response: TokenResponse) throws -> [String: Any] {
        let jws = try JWS(compact: response.accessToken)
        return try #require(try JSONSerialization.jsonObject(with: Data(jws.payload)) as? [String: Any])
    }

    private func body(_ response: TokenResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.json)) as? [String: Any])
    }

    /// A proof by `maker` for `POST` to `htu` (the token endpoint unless told), made at the
    /// harness clock's time.
    func proof(_ maker: DPoPProofMaker, _ auth: AuthHarness, jti: String = UUID().uuidString,
               htu: String = DPoPProofMaker.tokenEndpoint, nonce: String? = nil) throws -> String {
        try maker.proof { _, claims in
            claims["jti"] = jti
            claims["htu"] = htu
            claims["iat"] = auth.clock.milliseconds() / 1000
            if let nonce { claims["nonce"] = nonce }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aBoundSessionRotatesWithAProofForItsKeyAndGetsDPoPTokens(kind: StoreKind) async throws {
        try await AuthHarness.with(kind, configuration: Self.configuration) { auth in
            let key = try DPoPProofMaker(.es256)
            let jkt = try key.thumbprint
            let created = try await auth.createSession(jkt: jkt)
            // The first access token is bound too: the login backend vouched for the key.
            #expect(try body(created)["token_type"] as? String == "DPoP")
            #expect(try claims(created)["cnf"] as? [String: String] == ["jkt": jkt])
            #expect(try await auth.families.state(of: try auth.session(of: try #require(created.refreshToken)))?.dpopThumbprint == jkt)

            let first = try #require(created.refreshToken)
            let rotated = try await auth.refresh(first, dpop: [try proof(key, auth)])
            #expect(try body(rotated)["token_type"] as? String == "DPoP")
            #expect(try claims(rotated)["cnf"] as? [String: String] == ["jkt": jkt])
            let second = try #require(rotated.refreshToken)
            #expect(second != first)
            #expect(try auth.codec.verify(second).generation == 1)
            #expect(rotated.dpopNonce == nil)  // nonces are off
            // And on: every refresh with a fresh proof.
            auth.clock.advance(byMilliseconds: 30_000)
            #expect(try auth.codec.verify(try #require(try await auth.refresh(second, dpop: [try proof(key, auth)]).refreshToken))
                .generation == 2)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func refusedProofsChangeNothingAndTheKeysHolderGoesOn(kind: StoreKind) async throws {
        try await AuthHarness.with(kind, configuration: Self.configuration) { auth in
            let key = try DPoPProofMaker(.es256)
            let thief = try DPoPProofMaker(.edDSA)
            let stolen = try #require(try await auth.createSession(jkt: try key.thumbprint).refreshToken)
            let spent = try proof(key, auth, jti: "spent")
            let current = try #require(try await auth.refresh(stolen, dpop: [spent]).refreshToken)
            auth.clock.advance(byMilliseconds: 20_000)  // past the grace window: unbound, `stolen` would be reuse

            let attempts: [(token: [UInt8], dpop: [String], hint: String)] = [
                (current, [], "the refresh token is bound to a DPoP key: a DPoP proof is required"),
                (stolen, [], "the refresh token is bound to a DPoP key: a DPoP proof is required"),
                (current, [try proof(thief, auth)], "the DPoP proof's key is not the one the refresh token is bound to"),
                (stolen, [try proof(thief, auth)], "the DPoP proof's key is not the one the refresh token is bound to"),
                (current, [spent], "the DPoP proof was already used"),
            ]
            for attempt in attempts {
                let error = try await refusal { try await auth.refresh(attempt.token, dpop: attempt.dpop) }
                #expect(error?.code == .invalidDPoPProof)
                #expect(error?.hint == attempt.hint)
            }
            // Nothing was revoked (no reuse detection) and the family did not move.
            #expect(!auth.logs.all.contains { $0.contains("reuse_detected") })
            #expect(try await auth.families.state(of: try auth.session(of: current))?.generation == 1)
            // The key's holder refreshes on.
            let next = try await auth.refresh(current, dpop: [try proof(key, auth)])
            #expect(try auth.codec.verify(try #require(next.refreshToken)).generation == 2)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aGraceRetryWithAFreshProofGetsTheSameSuccessor(kind: StoreKind) async throws {
        try await AuthHarness.with(kind, configuration: Self.configuration) { auth in
            let key = try DPoPProofMaker(.rs256)
            let token = try #require(try await auth.createSession(jkt: try key.thumbprint).refreshToken)
            let firstProof = try proof(key, auth)
            let first = try await auth.refresh(token, dpop: [firstProof])
            auth.clock.advance(byMilliseconds: 5_000)
            // The response was lost: the app retries the same token with a new proof.
            let retry = try await auth.refresh(token, dpop: [try proof(key, auth)])
            #expect(retry.refreshToken == first.refreshToken)
            #expect(retry.accessToken != first.accessToken)
            #expect(try claims(retry)["cnf"] as? [String: String] == ["jkt": try key.thumbprint])
            // Retrying with the very same proof is a replay, refused without harm.
            #expect(try await refusal { try await auth.refresh(token, dpop: [firstProof]) }?.code == .invalidDPoPProof)
            #expect(try await auth.families.state(of: try auth.session(of: token))?.generation == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aClientRequiringDPoPRefusesAnUnboundSessionAndAProoflessRefreshBeforeRedis(kind: StoreKind) async throws {
        try await AuthHarness.with(kind, policy: Self.requireDPoP, configuration: Self.configuration) { auth in
            let error = try await refusal { try await auth.createSession() }
            #expect(error?.code == .invalidRequest)
            #expect(error?.hint.contains("'dpop_jkt'") == true)

            let key = try DPoPProofMaker(.es256)
            let token = try #require(try await auth.createSession(jkt: try key.thumbprint).refreshToken)
            let calls = try await auth.refreshesInStore()
            let missing = try await refusal { try await auth.refresh(token) }
            #expect(missing?.code == .invalidDPoPProof)
            #expect(missing?.hint == "missing DPoP proof")
            // A proof the worker refuses (here: for another method) never reaches Redis either.
            let wrongMethod = try key.proof { _, claims in claims["htm"] = "GET" }
            #expect(try await refusal { try await auth.refresh(token, dpop: [wrongMethod]) }?.code == .invalidDPoPProof)
            #expect(try await auth.refreshesInStore() == calls)
            #expect(try await auth.refresh(token, dpop: [try proof(key, auth)]).refreshToken != nil)
        }
    }

    @Test func anUnboundSessionRefreshedWithAProofGetsABoundAccessTokenAndStaysUnbound() async throws {
        try await AuthHarness.with(.memory, configuration: Self.configuration) { auth in
            let created = try await auth.createSession()
            #expect(try body(created)["token_type"] as? String == "Bearer")
            #expect(try claims(created)["cnf"] == nil)
            let key = try DPoPProofMaker(.es256)
            let bound = try await auth.refresh(try #require(created.refreshToken), dpop: [try proof(key, auth)])
            #expect(try body(bound)["token_type"] as? String == "DPoP")
            #expect(try claims(bound)["cnf"] as? [String: String] == ["jkt": try key.thumbprint])
            #expect(try await auth.families.state(of: try auth.session(of: try #require(bound.refreshToken)))?.dpopThumbprint == nil)
            // Without a proof: Bearer, as before DPoP.
            let bearer = try await auth.refresh(try #require(bound.refreshToken))
            #expect(try body(bearer)["token_type"] as? String == "Bearer")
            #expect(try claims(bearer)["cnf"] == nil)
        }
    }

    @Test func clientCredentialsWithAProofIssuesABoundAccessToken() async throws {
        try await AuthHarness.with(.memory, configuration: Self.configuration) { auth in
            let form = try FormBody(Array("grant_type=client_credentials".utf8))
            let key = try DPoPProofMaker(.edDSA)
            let bound = try auth.service.clientCredentials(client: auth.machine, form: form, dpopProofs: [try proof(key, auth)])
            #expect(try body(bound)["token_type"] as? String == "DPoP")
            #expect(try claims(bound)["cnf"] as? [String: String] == ["jkt": try key.thumbprint])
            let bearer = try auth.service.clientCredentials(client: auth.machine, form: form)
            #expect(try body(bearer)["token_type"] as? String == "Bearer")
            #expect(try claims(bearer)["cnf"] == nil)
            let bad = try key.proof { _, claims in claims["htu"] = "https://elsewhere.example/oauth/token" }
            #expect(try await refusal { try auth.service.clientCredentials(client: auth.machine, form: form, dpopProofs: [bad]) }?
                .code == .invalidDPoPProof)
        }
    }

    @Test func clientCredentialsOfAClientRequiringDPoPNeedAProof() async throws {
        try await AuthHarness.with(.memory, policy: Self.requireDPoP, configuration: Self.configuration) { auth in
            let form = try FormBody(Array("grant_type=client_credentials".utf8))
            let error = try await refusal { try auth.service.clientCredentials(client: auth.machine, form: form) }
            #expect(error?.code == .invalidDPoPProof)
            #expect(error?.hint == "missing DPoP proof")
        }
    }

    @Test(arguments: [true, false])
    func noncesRequiredByTheFlagOrTheClientAreAskedForWithTheCurrentOne(serviceWide: Bool) async throws {
        var configuration = Self.configuration
        configuration.dpopNoncesRequired = serviceWide
        var policy = ClientPolicy.standard
        policy.dpopNonce = !serviceWide
        try await AuthHarness.with(.memory, policy: policy, configuration: configuration) { auth in
            let key = try DPoPProofMaker(.es256)
            let token = try #require(try await auth.createSession(jkt: try key.thumbprint).refreshToken)
            let calls = try await auth.refreshesInStore()
            let current = try auth.nonces.current(at: auth.clock.milliseconds())
            for stale in [nil, "not-a-nonce", try auth.nonces.current(at: auth.clock.milliseconds() - 2 * auth.nonces.bucketMilliseconds)] {
                let error = try await refusal { try await auth.refresh(token, dpop: [try proof(key, auth, nonce: stale)]) }
                #expect(error?.code == .useDPoPNonce)
                #expect(error?.dpopNonce == current)
                #expect(error.map { !"\($0)".contains(current) } == true, "a nonce is never in a log line")
            }
            #expect(try await auth.refreshesInStore() == calls)
            // With the nonce: rotated; the nonce is current and its bucket young, so no new one.
            let rotated = try await auth.refresh(token, dpop: [try proof(key, auth, nonce: current)])
            #expect(rotated.dpopNonce == nil)
            // In the last tenth of the bucket, a success hands out the nonce to move on to.
            let bucket = auth.nonces.bucketMilliseconds
            auth.clock.advance(byMilliseconds: bucket - auth.clock.milliseconds() % bucket - bucket / 20)
            let late = try await auth.refresh(try #require(rotated.refreshToken),
                                              dpop: [try proof(key, auth, nonce: try auth.nonces.current(at: auth.clock.milliseconds()))])
            #expect(late.dpopNonce == (try auth.nonces.current(at: auth.clock.milliseconds())))
            // In the next bucket the previous nonce still works, and the success carries the new one.
            auth.clock.advance(byMilliseconds: bucket / 10)
            let previous = try auth.nonces.current(at: auth.clock.milliseconds() - bucket)
            let moved = try await auth.refresh(try #require(late.refreshToken), dpop: [try proof(key, auth, nonce: previous)])
            #expect(moved.dpopNonce == (try auth.nonces.current(at: auth.clock.milliseconds())))
            #expect(moved.dpopNonce != previous)
        }
    }

    @Test func withoutNoncesRequiredAProofWithoutOneGetsNoNonceHeader() async throws {
        try await AuthHarness.with(.memory, configuration: Self.configuration) { auth in
            let key = try DPoPProofMaker(.es256)
            let token = try #require(try await auth.createSession(jkt: try key.thumbprint).refreshToken)
            let bucket = auth.nonces.bucketMilliseconds
            auth.clock.advance(byMilliseconds: bucket - auth.clock.milliseconds() % bucket - 1_000)  // late in a bucket
            #expect(try await auth.refresh(token, dpop: [try proof(key, auth)]).dpopNonce == nil)
        }
    }

    @Test func introspectionShowsTheBindingOfAccessAndRefreshTokens() async throws {
        try await AuthHarness.with(.memory, configuration: Self.configuration) { auth in
            let key = try DPoPProofMaker(.es256)
            let jkt = try key.thumbprint
            let created = try await auth.createSession(jkt: jkt)
            let rotated = try await auth.refresh(try #require(created.refreshToken), dpop: [try proof(key, auth)])
            func introspect(_ token: [UInt8]) async throws -> [String: Any] {
                let form = try FormBody(Array(("token=" + String(decoding: token, as: UTF8.self)).utf8))
                let json = try await auth.service.introspect(client: auth.app, form: form)
                return try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
            }
            let access = try await introspect(rotated.accessToken)
            #expect(access["active"] as? Bool == true)
            #expect(access["token_type"] as? String == "DPoP")
            #expect(access["cnf"] as? [String: String] == ["jkt": jkt])
            let refresh = try await introspect(try #require(rotated.refreshToken))
            #expect(refresh["token_type"] as? String == "refresh_token")
            #expect(refresh["cnf"] as? [String: String] == ["jkt": jkt])
            let bearer = try await introspect(try await auth.createSession("bob").accessToken)
            #expect(bearer["token_type"] as? String == "Bearer")
            #expect(bearer["cnf"] == nil)
        }
    }

    @Test func theStoreIsGivenABoundedDigestOfTheJTIRememberedForTwiceTheWindowAndAMargin() throws {
        var configuration = AuthConfiguration()
        configuration.dpopIssuedAtWindow = 60
        #expect(configuration.dpopReplayWindowMilliseconds == 130_000)
        for jti in ["a", String(repeating: "x", count: DPoPProofVerifier.maximumJWTIDLength)] {
            let proof = DPoPProof(thumbprint: "jkt", jwtID: jti, issuedAt: 0, nonce: nil)
            let presentation = try proof.presentation(replayWindowMilliseconds: configuration.dpopReplayWindowMilliseconds)
            #expect(presentation.jwtIDDigest == Base64URL.encodeToString(try SHA256.hash(Array(jti.utf8))))
            #expect(presentation.jwtIDDigest.utf8.count == 43)
            #expect(presentation.thumbprint == "jkt")
            #expect(presentation.replayWindowMilliseconds == 130_000)
        }
    }
}
