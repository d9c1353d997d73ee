import Testing
@testable import BatonCore

@Suite struct RefreshTokenTests {
    private let mac = String(repeating: "A", count: 42) + "g"
    private var text: String { "btr1.k1.0a1b2c3d.AAAAAAAAAAAAAAAAAAAAAA.42.\(mac)" }

    @Test func parsesAndSerializesRoundTrip() throws {
        let token = try RefreshToken.parse(Array(text.utf8))
        #expect(token.masterKeyID == Array("k1".utf8))
        #expect(token.shard == Array("0a1b2c3d".utf8))
        #expect(token.generation == 42)
        #expect(token.serialized == Array(text.utf8))
        #expect(token.sessionID.description == "0a1b2c3d.AAAAAAAAAAAAAAAAAAAAAA")
    }

    @Test func signingInputCoversShardFamilyAndGeneration() throws {
        let token = try RefreshToken.parse(Array(text.utf8))
        #expect(String(decoding: token.signingInput, as: UTF8.self) == "0a1b2c3d|AAAAAAAAAAAAAAAAAAAAAA|42")
    }

    @Test func theSigningInputInATemporaryBufferIsTheSigningInput() {
        let shard = Array("0a1b2c3d".utf8), family = Array("AAAAAAAAAAAAAAAAAAAAAA".utf8)
        for generation: UInt64 in [0, 9, 10, 42, 999_999_999_999_999, .max] {
            let inBuffer = RefreshToken.withSigningInput(shard: shard, familyID: family, generation: generation) { Array($0) }
            #expect(inBuffer == RefreshToken.signingInput(shard: shard, familyID: family, generation: generation))
        }
    }

    @Test func theUnsignedTextIsTheTokenUpToItsMAC() throws {
        let token = try RefreshToken.parse(Array(text.utf8))
        var bytes = Array("x".utf8)
        RefreshToken.appendUnsignedText(masterKeyID: token.masterKeyID, shard: token.shard, familyID: token.familyID,
                                        generation: token.generation, to: &bytes)
        #expect(bytes + token.mac == Array("x".utf8) + token.serialized)
    }

    @Test func decimalEncodingIsCanonical() {
        #expect(RefreshToken.decimal(0) == Array("0".utf8))
        #expect(RefreshToken.decimal(1_000_000_007) == Array("1000000007".utf8))
        for value: UInt64 in [1, 9, 10, 99, 100, 101, 999_999_999_999_999, .max] {
            #expect(RefreshToken.decimal(value) == Array(String(value).utf8))
        }
        var appended = Array("gen=".utf8)
        DecimalDigits.append(42, to: &appended)
        #expect(appended == Array("gen=42".utf8))
        var buffer = [UInt8](repeating: 0, count: 20)
        for value: UInt64 in [0, 7, 10, 1_000_000_007, .max] {
            let count = buffer.withUnsafeMutableBufferPointer { DecimalDigits.write(value, into: $0) }
            #expect(Array(buffer[..<count]) == Array(String(value).utf8))
        }
        #expect(RefreshToken.parseDecimal(Array("007".utf8)) == nil)
        #expect(RefreshToken.parseDecimal(Array("0".utf8)) == 0)
        #expect(RefreshToken.parseDecimal(Array("999999999999999".utf8)) == 999_999_999_999_999)
        #expect(RefreshToken.parseDecimal(Array("1000000000000000".utf8)) == nil)
    }

    @Test(arguments: [
        "",
        "btr1.",
        "btr2.k1.0a1b2c3d.AAAAAAAAAAAAAAAAAAAAAA.42.MAC",
        "btr1.k1.0a1b2c3d.AAAAAAAAAAAAAAAAAAAAAA.42",
        "btr1.K1.0a1b2c3d.AAAAAAAAAAAAAAAAAAAAAA.42.M",
        "btr1.k1.0A1B2C3D.AAAAAAAAAAAAAAAAAAAAAA.42.M",
        "btr1.k1.0a1b2c3.AAAAAAAAAAAAAAAAAAAAAA.42.M",
        "btr1.k1.0a1b2c3d.AAAAAAAAAAAAAAAAAAAAA.42.M",
        "btr1.k1.0a1b2c3d.AAAAAAAAAAAAAAAAAAAAA=.42.M",
        "btr1.k1.0a1b2c3d.AAAAAAAAAAAAAAAAAAAAAA.-1.M",
        "btr1.k1.0a1b2c3d.AAAAAAAAAAAAAAAAAAAAAA.042.M",
        "btr1.k1.0a1b2c3d.AAAAAAAAAAAAAAAAAAAAAA..M",
        "btr1.toolongkey.0a1b2c3d.AAAAAAAAAAAAAAAAAAAAAA.1.M",
        "btr1..0a1b2c3d.AAAAAAAAAAAAAAAAAAAAAA.1.M",
        "btr1.k1.0a1b2c3d.AAAAAAAAAAAAAAAAAAAAAA.1.M.extra",
        "eyJhbGciOiJFUzI1NiJ9.e30.sig",
    ])
    func rejectsEveryOtherShape(candidate: String) {
        // Give the well-formed-looking candidates a real-length MAC so only the tested part is wrong.
        let input = candidate.hasSuffix(".M") ? String(candidate.dropLast()) + mac : candidate
        #expect {
            try RefreshToken.parse(Array(input.utf8))
        } throws: { error in
            (error as? BatonError)?.code == .invalidGrant
        }
    }

    @Test func rejectsOverlongInputBeforeParsing() {
        let huge = Array(("btr1." + String(repeating: "a", count: 100_000)).utf8)
        #expect(throws: BatonError.self) { try RefreshToken.parse(huge) }
    }

    @Test func sessionIDParsesOnlyItsShape() {
        #expect(SessionID("0a1b2c3d.AAAAAAAAAAAAAAAAAAAAAA")?.shard == Array("0a1b2c3d".utf8))
        #expect(SessionID("0a1b2c3d") == nil)
        #expect(SessionID("0a1b2c3d.AAAA") == nil)
        #expect(SessionID("zzzzzzzz.AAAAAAAAAAAAAAAAAAAAAA") == nil)
    }
}
