import BatonCore
import Testing

/// The handoff code's shape: parsing checks it exactly and says nothing about which part failed.
@Suite struct HandoffCodeTests {
    static let session = SessionID(shard: Array("0a1b2c3d".utf8), familyID: Array("ABCDEFGHIJKLMNOPQRSTUV".utf8))
    static let mac = String(repeating: "m", count: 43)

    @Test func parsesItsOwnText() throws {
        let text = HandoffCode.unsignedText(masterKeyID: Array("a1b2c3".utf8), session: Self.session) + Array(Self.mac.utf8)
        #expect(String(decoding: text, as: UTF8.self) == "bth1.a1b2c3.0a1b2c3d.ABCDEFGHIJKLMNOPQRSTUV.\(Self.mac)")
        let code = try HandoffCode.parse(text)
        #expect(code == HandoffCode(masterKeyID: Array("a1b2c3".utf8), session: Self.session, mac: Array(Self.mac.utf8)))
    }

    @Test func itsMACInputIsNeverARefreshTokens() {
        let input = HandoffCode.signingInput(for: Self.session)
        #expect(String(decoding: input, as: UTF8.self) == "handoff|0a1b2c3d|ABCDEFGHIJKLMNOPQRSTUV")
        for generation: UInt64 in [0, 1] {
            #expect(input != RefreshToken.signingInput(shard: Self.session.shard, familyID: Self.session.familyID, generation: generation))
        }
    }

    @Test(arguments: [
        "", "bth1.", "btr1.a1b2c3.0a1b2c3d.ABCDEFGHIJKLMNOPQRSTUV.\(mac)",
        "bth1.a1b2c3.0a1b2c3d.ABCDEFGHIJKLMNOPQRSTUV.\(mac).x", "bth1.a1b2c3.0a1b2c3d.ABCDEFGHIJKLMNOPQRSTUV",
        "bth1.A1B2C3.0a1b2c3d.ABCDEFGHIJKLMNOPQRSTUV.\(mac)", "bth1.a1b2c3.0A1B2C3D.ABCDEFGHIJKLMNOPQRSTUV.\(mac)",
        "bth1.a1b2c3.0a1b2c3d.ABCDEFGHIJKLMNOPQRSTU.\(mac)", "bth1.a1b2c3.0a1b2c3d.ABCDEFGHIJKLMNOPQRSTUV.\(mac)=",
        "bth1..0a1b2c3d.ABCDEFGHIJKLMNOPQRSTUV.\(mac)", "bth1.a1b2c3.0a1b2c3d.ABCDEFGHIJKLMNOPQRST+/.\(mac)",
        "bth1.a1b2c3.0a1b2c3d.ABCDEFGHIJKLMNOPQRSTUV.\(mac)" + String(repeating: "x", count: 60),
    ])
    func refusesEveryOtherShapeAlike(text: String) {
        #expect {
            try HandoffCode.parse(Array(text.utf8))
        } throws: { error in
            (error as? BatonError)?.code == .invalidGrant && (error as? BatonError)?.hint == HandoffCode.invalidHint
        }
    }
}
