import Testing
@testable import BatonCore

@Suite struct HexTests {
    @Test func encodesEveryByteAsTwoLowercaseDigits() {
        #expect(String(decoding: Hex.encode([0x00, 0x0f, 0xa5, 0xff]), as: UTF8.self) == "000fa5ff")
        #expect(Hex.encode([]).isEmpty)
    }
}
