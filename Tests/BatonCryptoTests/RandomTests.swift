import Testing
@testable import BatonCrypto

@Suite struct RandomTests {
    @Test func producesTheRequestedCountOfDistinctBytes() throws {
        let a = try Random.bytes(count: 32)
        let b = try Random.bytes(count: 32)
        #expect(a.count == 32)
        #expect(a != b)
        #expect(try Random.bytes(count: 0).isEmpty)
    }

    @Test func fillsABuffer() throws {
        var buffer = [UInt8](repeating: 0, count: 64)
        try buffer.withUnsafeMutableBytes { try Random.fill($0) }
        #expect(buffer != [UInt8](repeating: 0, count: 64))
    }
}
