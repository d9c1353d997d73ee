@testable import BatonAuth
import BatonCore
import BatonCrypto
import Foundation
import Testing

/// Cookie mode through `TokenService`: the handoff code is single-use and short-lived, the page's
/// tokens keep the refresh token out of the body, the cookie never outlives its family, and every
/// rotation rule of DESIGN.md §3 holds at `/browser/refresh` as at `/oauth/token`. On the in-memory
/// store (the pure rules) and on a real redis-server (the scripts).
@Suite struct TokenServiceBrowserTests {
    static let kinds: [StoreKind] = [.memory, .redis]
    static let origin = AuthHarness.browserOrigin

    private func json(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    private func handoffCode(_ created: TokenResponse) throws -> String {
        try #require(try json(created.json)["handoff_code"] as? String)
    }

    private func refusal(_ body: () async throws -> Any) async -> BatonError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error as? BatonError
        }
    }

    private func refresh(_ auth: AuthHarness, _ cookie: [UInt8]?, dpop: [String] = []) async throws -> BrowserTokens {
        try await auth.service.browserRefresh(client: auth.browser, cookie: cookie.map { String(decoding: $0, as: UTF8.self) },
                                              form: try FormBody([]), origin: Self.origin, dpopProofs: dpop)
    }

    @Test(arguments: kinds)
    func theLoginBackendGetsAHandoffCodeAndNoRefreshToken(kind: StoreKind) async throws {
        try await AuthHarness.with(kind) { auth in
            let created = try await auth.createCookieSession()
            let body = try json(created.json)
            #expect(body["refresh_token"] == nil)
            #expect(created.refreshToken == nil)
            #expect((body["handoff_code"] as? String)?.hasPrefix("bth1.") == true)
            #expect(body["handoff_expires_in"] as? Int == 60)
            #expect(body["session_id"] is String)
            // Nothing at rest can be exchanged: the family holds the deadline only.
            let sessionText = try #require(body["session_id"] as? String)
            let session = try #require(SessionID(sessionText))
            #expect(try await auth.families.state(of: session) != nil)
        }
    }

    @Test(arguments: kinds)
    func theCodeIsExchangedOnceAndASecondUseRevokesTheFamily(kind: StoreKind) async throws {
        try await AuthHarness.with(kind) { auth in
            let code = try handoffCode(try await auth.createCookieSession())
            let tokens = try await auth.service.redeemHandoff(client: auth.browser, code: code, origin: Self.origin)
            let body = try json(tokens.response.json)
            #expect(body["refresh_token"] == nil)
            #expect(body["access_token"] is String && body["token_type"] as? String == "Bearer")
            #expect(try auth.codec.verify(tokens.refreshToken).generation == 0)
            let session = try auth.session(of: tokens.refreshToken)

            let second = await refusal { try await auth.service.redeemHandoff(client: auth.browser, code: code, origin: Self.origin) }
            #expect(second?.code == .invalidGrant && second?.hint == HandoffCode.invalidHint)
            #expect(try await auth.families.state(of: session) == nil)  // revoked: someone else has the code
            #expect(await refusal { try await refresh(auth, tokens.refreshToken) }?.code == .invalidGrant)
        }
    }

    @Test(arguments: kinds)
    func aLateCodeIsRefused(kind: StoreKind) async throws {
        try await AuthHarness.with(kind) { auth in
            let code = try handoffCode(try await auth.createCookieSession())
            auth.clock.advance(byMilliseconds: HandoffCode.lifetimeMilliseconds + 1)
            let late = await refusal { try await auth.service.redeemHandoff(client: auth.browser, code: code, origin: Self.origin) }
            #expect(late?.code == .invalidGrant)
        }
    }

    @Test(arguments: kinds)
    func forgedOrForeignCodesChangeNothing(kind: StoreKind) async throws {
        try await AuthHarness.with(kind) { auth in
            let code = try handoffCode(try await auth.createCookieSession())
            // Another MAC: refused before the store, the session still waits for its page.
            var forged = Array(code.utf8)
            forged[forged.count - 2] = forged[forged.count - 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            let refused = await refusal {
                try await auth.service.redeemHandoff(client: auth.browser, code: String(decoding: forged, as: UTF8.self), origin: Self.origin)
            }
            #expect(refused?.code == .invalidGrant)
            // A refresh token is not a handoff code, nor the other way round.
            #expect(await refusal { try await refresh(auth, Array(code.utf8)) }?.code == .invalidGrant)
            // The code of a session of the cookie client presented by a client not in cookie mode.
            #expect(await refusal { try await auth.service.redeemHandoff(client: auth.app, code: code, origin: Self.origin) }?.code
                == .unauthorizedClient)
            #expect(try await auth.service.redeemHandoff(client: auth.browser, code: code, origin: Self.origin).refreshToken.isEmpty == false)
        }
    }

    /// The cookie lives until the session's absolute end or idle timeout, whichever is first.
    @Test(arguments: kinds)
    func theCookieNeverOutlivesItsFamily(kind: StoreKind) async throws {
        var policy = ClientPolicy.standard
        policy.idleTimeout = 3_600
        policy.absoluteLifetime = 7_200
        try await AuthHarness.with(kind, policy: policy) { auth in
            let code = try handoffCode(try await auth.createCookieSession())
            var tokens = try await auth.service.redeemHandoff(client: auth.browser, code: code, origin: Self.origin)
            #expect(tokens.cookieMaxAge == 3_600)
            auth.clock.advance(byMilliseconds: 3_000_000)  // 50 min: 70 min of the absolute lifetime left
            tokens = try await refresh(auth, tokens.refreshToken)
            #expect(tokens.cookieMaxAge == 3_600)
            auth.clock.advance(byMilliseconds: 3_000_000)  // 100 min: 20 min left
            tokens = try await refresh(auth, tokens.refreshToken)
            #expect(tokens.cookieMaxAge == 1_200)
        }
    }

    /// Rotation, grace (two tabs) and reuse detection exactly as at the token endpoint.
    @Test(arguments: kinds)
    func browserRefreshKeepsEveryRotationRule(kind: StoreKind) async throws {
        try await AuthHarness.with(kind) { auth in
            let code = try handoffCode(try await auth.createCookieSession())
            let first = try await auth.service.redeemHandoff(client: auth.browser, code: code, origin: Self.origin).refreshToken
            let tabA = try await refresh(auth, first)
            let tabB = try await refresh(auth, first)  // the same cookie, at once: grace, the same successor
            #expect(tabA.refreshToken == tabB.refreshToken)
            #expect(tabA.response.accessToken != tabB.response.accessToken)
            #expect(try auth.codec.verify(tabA.refreshToken).generation == 1)
            let next = try await refresh(auth, tabA.refreshToken)
            auth.clock.advance(byMilliseconds: 11_000)
            // The old cookie replayed outside the grace window: theft, the family dies.
            #expect(await refusal { try await refresh(auth, first) }?.code == .invalidGrant)
            #expect(await refusal { try await refresh(auth, next.refreshToken) }?.code == .invalidGrant)
            #expect(auth.logs.all.contains { $0.contains("baton.event=reuse_detected") })
        }
    }

    @Test(arguments: kinds)
    func cookieAndJSONDeliveryDoNotMix(kind: StoreKind) async throws {
        try await AuthHarness.with(kind) { auth in
            let json = await refusal {
                try await auth.service.createSession(caller: auth.login,
                                                     request: try SessionRequest(json: Array(#"{"sub":"a","client_id":"spa"}"#.utf8)))
            }
            #expect(json?.code == .invalidRequest && json?.hint.contains("cookie mode") == true)
            let cookie = await refusal {
                try await auth.service.createSession(
                    caller: auth.login, request: try SessionRequest(json: Array(#"{"sub":"a","client_id":"app","delivery":"cookie"}"#.utf8)))
            }
            #expect(cookie?.code == .invalidRequest && cookie?.hint.contains("cookie mode") == true)
            #expect(throws: BatonError.self) { try SessionRequest(json: Array(#"{"sub":"a","client_id":"spa","delivery":"mail"}"#.utf8)) }
            // A cookie-mode session's refresh token is refused at the token endpoint.
            let code = try handoffCode(try await auth.createCookieSession())
            let token = try await auth.service.redeemHandoff(client: auth.browser, code: code, origin: Self.origin).refreshToken
            #expect(try await auth.refusal(token, as: auth.browser) == .unauthorizedClient)
            #expect(try await auth.refusal(token, as: auth.app) == .invalidGrant)  // and it belongs to its client only
            _ = try await refresh(auth, token)  // still current: nothing was rotated
            #expect(await refusal { try await refresh(auth, nil) }?.code == .invalidGrant)  // no cookie
        }
    }

    @Test(arguments: kinds)
    func logoutRevokesTheFamily(kind: StoreKind) async throws {
        try await AuthHarness.with(kind) { auth in
            let code = try handoffCode(try await auth.createCookieSession())
            let token = try await auth.service.redeemHandoff(client: auth.browser, code: code, origin: Self.origin).refreshToken
            try await auth.service.browserLogout(client: auth.browser, cookie: String(decoding: token, as: UTF8.self), origin: Self.origin)
            #expect(await refusal { try await refresh(auth, token) }?.code == .invalidGrant)
            // Without a cookie, or with a dead one, logout is nothing to do.
            try await auth.service.browserLogout(client: auth.browser, cookie: nil, origin: Self.origin)
            try await auth.service.browserLogout(client: auth.browser, cookie: String(decoding: token, as: UTF8.self), origin: Self.origin)
        }
    }

    /// DPoP in cookie mode: a bound session is handed over and refreshed only with proofs for its
    /// key, made for the route under the issuer or under the page's origin.
    @Test(arguments: kinds)
    func aDPoPBoundCookieSessionNeedsItsKey(kind: StoreKind) async throws {
        var configuration = AuthConfiguration()
        configuration.issuer = "https://baton.example"
        try await AuthHarness.with(kind, configuration: configuration) { auth in
            let key = try DPoPProofMaker(.es256)
            let thief = try DPoPProofMaker(.es256)
            func proof(_ maker: DPoPProofMaker, _ htu: String) throws -> String {
                try maker.proof { _, claims in
                    claims["htu"] = htu
                    claims["iat"] = auth.clock.milliseconds() / 1000
                }
            }
            let code = try handoffCode(try await auth.createCookieSession(jkt: try key.thumbprint))
            let redeem = { (dpop: [String]) in
                try await auth.service.redeemHandoff(client: auth.browser, code: code, origin: Self.origin, dpopProofs: dpop)
            }
            // Without the key the code is neither exchanged nor burnt.
            #expect(await refusal { try await redeem([]) }?.code == .invalidDPoPProof)
            #expect(await refusal { try await redeem([try proof(thief, "https://baton.example/browser/session")]) }?.code == .invalidDPoPProof)
            #expect(await refusal { try await redeem([try proof(key, "https://baton.example/browser/refresh")]) }?.code == .invalidDPoPProof)
            let tokens = try await redeem([try proof(key, "https://baton.example/browser/session")])
            #expect(try json(tokens.response.json)["token_type"] as? String == "DPoP")

            #expect(await refusal { try await refresh(auth, tokens.refreshToken) }?.code == .invalidDPoPProof)
            #expect(await refusal { try await refresh(auth, tokens.refreshToken, dpop: [try proof(thief, Self.origin + "/browser/refresh")]) }?
                .code == .invalidDPoPProof)
            // Behind the app's proxy the page posts to its own origin: that htu is accepted too.
            let rotated = try await refresh(auth, tokens.refreshToken, dpop: [try proof(key, Self.origin + "/browser/refresh")])
            _ = try await refresh(auth, rotated.refreshToken, dpop: [try proof(key, "https://baton.example/browser/refresh")])
            // Logging out a bound session needs the key as well.
            let cookie = String(decoding: rotated.refreshToken, as: UTF8.self)
            #expect(await refusal { try await auth.service.browserLogout(client: auth.browser, cookie: cookie, origin: Self.origin) }?
                .code == .invalidDPoPProof)
        }
    }
}
