import BatonCore
import Foundation
import Testing

/// A client's policy as it is stored (JSON in Redis): the DPoP settings added later default to off
/// for clients stored before them.
@Suite struct ClientPolicyTests {
    @Test func aPolicyStoredBeforeDPoPDecodesWithDPoPOff() throws {
        let stored = #"{"access_token_ttl":300,"idle_timeout":1209600,"absolute_lifetime":7776000,"grace_period":10}"#
        let policy = try JSONDecoder().decode(ClientPolicy.self, from: Data(stored.utf8))
        #expect(policy == .standard)
        #expect(!policy.requireDPoP)
        #expect(!policy.dpopNonce)
        #expect(!policy.cookieMode)
        #expect(policy.allowedOrigins.isEmpty)
    }

    @Test func theCookieModeSettingsRoundTripUnderTheirNames() throws {
        var policy = ClientPolicy.standard
        policy.cookieMode = true
        policy.allowedOrigins = ["https://app.example.com"]
        let json = try JSONEncoder().encode(policy)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["cookie_mode"] as? Bool == true)
        #expect(object["allowed_origins"] as? [String] == ["https://app.example.com"])
        #expect(try JSONDecoder().decode(ClientPolicy.self, from: json) == policy)
        #expect(policy.allows(origin: "https://app.example.com"))
        #expect(!policy.allows(origin: "https://app.example.com:8443"))
        #expect(!policy.allows(origin: "https://evil.example.com"))
        #expect(!policy.allows(origin: "null"))
    }

    @Test func cookieModeNeedsAllowedOrigins() throws {
        var policy = ClientPolicy.standard
        policy.cookieMode = true
        #expect(throws: BatonError.self) { try policy.validate() }
        policy.allowedOrigins = ["https://app.example.com"]
        try policy.validate()
    }

    @Test func theDPoPSettingsRoundTripUnderTheirNames() throws {
        var policy = ClientPolicy.standard
        policy.requireDPoP = true
        policy.dpopNonce = true
        let json = try JSONEncoder().encode(policy)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["require_dpop"] as? Bool == true)
        #expect(object["dpop_nonce"] as? Bool == true)
        #expect(try JSONDecoder().decode(ClientPolicy.self, from: json) == policy)
    }

    @Test func aStoredPolicyMissingALifetimeIsStillAnError() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ClientPolicy.self, from: Data(#"{"access_token_ttl":300,"require_dpop":true}"#.utf8))
        }
    }
}
