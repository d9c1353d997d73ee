import BatonAuth
import BatonCore
import Testing

/// The DPoP members of JSON request bodies: a session's `dpop_jkt` and a client's `require_dpop`
/// and `dpop_nonce`, read strictly.
@Suite struct DPoPRequestFieldsTests {
    static let jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"

    private func session(_ members: String) throws -> SessionRequest {
        try SessionRequest(json: Array(#"{"sub":"alice","client_id":"app"\#(members)}"#.utf8))
    }

    @Test func aSessionMayNameTheThumbprintOfItsDPoPKey() throws {
        #expect(try session("").dpopThumbprint == nil)
        #expect(try session(#","dpop_jkt":"\#(Self.jkt)""#).dpopThumbprint == Self.jkt)
    }

    @Test(arguments: [
        String(Self.jkt.dropLast()),                     // 42 characters
        Self.jkt + "A",                                  // 44
        String(Self.jkt.dropLast()) + "=",               // padding
        "0ZcOCORZNYy+DWpqq30jZyJGHTN0d2HglBV3uiguA4I",   // base64, not base64url
        String(Self.jkt.dropLast()) + "J",               // not a canonical encoding of 32 bytes
        "",
    ])
    func aThumbprintThatIsNot43Base64URLCharactersIsRefusedByName(jkt: String) throws {
        let error = #expect(throws: BatonError.self) { try session(#","dpop_jkt":"\#(jkt)""#) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.hint.contains("'dpop_jkt'") == true)
    }

    @Test func aThumbprintThatIsNotAStringIsRefusedByName() throws {
        let error = #expect(throws: BatonError.self) { try session(#","dpop_jkt":43"#) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.hint.contains("dpop_jkt") == true)
    }

    @Test func aClientDraftCarriesTheDPoPSettings() throws {
        let draft = try ClientDraft(json: Array(#"{"client_id":"spa","public":true,"require_dpop":true,"dpop_nonce":false}"#.utf8))
        #expect(draft.requireDPoP == true)
        #expect(draft.dpopNonce == false)
        let plain = try ClientDraft(json: Array(#"{"client_id":"spa"}"#.utf8))
        #expect(plain.requireDPoP == nil)
        #expect(plain.dpopNonce == nil)
        let error = #expect(throws: BatonError.self) { try ClientDraft(json: Array(#"{"require_dpop":"yes"}"#.utf8)) }
        #expect(error?.hint.contains("require_dpop") == true)
    }
}
