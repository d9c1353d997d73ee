import BatonAuth
import BatonCore
import BatonCrypto
import Foundation
import Testing

/// The token response is one body written once: the tokens minted into it are the ones its
/// accessors return, and the body is the RFC 6749 §5.1 JSON object.
@Suite struct TokenResponseTests {
    private func members(_ response: TokenResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.json)) as? [String: Any])
    }

    @Test func aSessionsBodyHoldsBothTokensWhereTheAccessorsFindThem() async throws {
        try await AuthHarness.with(.memory) { harness in
            let created = try await harness.createSession("alice", scope: "read")
            let body = try members(created)
            #expect(body["access_token"] as? String == String(decoding: created.accessToken, as: UTF8.self))
            #expect(body["refresh_token"] as? String == String(decoding: try #require(created.refreshToken), as: UTF8.self))
            #expect(body["token_type"] as? String == "Bearer")
            #expect(body["expires_in"] as? Int == Int(created.expiresIn))
            #expect(body["scope"] as? String == "read")
            #expect(body["session_id"] as? String == created.sessionID)
            #expect(Array(body.keys).sorted() == ["access_token", "expires_in", "refresh_token", "scope", "session_id", "token_type"])

            let refreshToken = try harness.codec.verify(try #require(created.refreshToken))
            #expect(refreshToken.generation == 0)
            #expect(refreshToken.sessionID.description == created.sessionID)

            let jws = try JWS(compact: created.accessToken)
            #expect(jws.keyID == created.keyID)
            #expect(jws.type == "at+jwt")
            let claims = try #require(try JSONSerialization.jsonObject(with: Data(jws.payload)) as? [String: Any])
            #expect(claims["sub"] as? String == "alice")
            #expect(claims["sid"] as? String == created.sessionID)
            #expect(claims["scope"] as? String == "read")
        }
    }

    @Test func aRefreshsBodyHoldsTheSuccessorAndNoSessionID() async throws {
        try await AuthHarness.with(.memory) { harness in
            let created = try await harness.createSession()
            let refreshed = try await harness.refresh(try #require(created.refreshToken))
            let body = try members(refreshed)
            #expect(body["session_id"] == nil)
            #expect(refreshed.sessionID == nil)
            let successor = try harness.codec.verify(try #require(refreshed.refreshToken))
            #expect(successor.generation == 1)
            #expect(body["refresh_token"] as? String == String(decoding: successor.serialized, as: UTF8.self))
            #expect(try JWS(compact: refreshed.accessToken).payload.isEmpty == false)
        }
    }
}
