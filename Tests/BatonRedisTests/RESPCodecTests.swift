import NIOCore
import Testing
@testable import BatonRedis

@Suite struct RESPCodecTests {
    @Test func encodesCommandsAsRESPArrays() {
        var command = RedisCommand("SET", "key")
        command.append(bytes: [0x00, 0xFF, 0x0D, 0x0A])
        command.append(42)
        var buffer = ByteBuffer()
        RESPEncoder.encode(command, into: &buffer)
        let expected = Array("*4\r\n$3\r\nSET\r\n$3\r\nkey\r\n$4\r\n".utf8) + [0x00, 0xFF, 0x0D, 0x0A]
            + Array("\r\n$2\r\n42\r\n".utf8)
        #expect(buffer.readableBytesView.elementsEqual(expected))
    }

    @Test func encodesEmptyArguments() {
        var buffer = ByteBuffer()
        RESPEncoder.encode(RedisCommand("ECHO", ""), into: &buffer)
        #expect(String(buffer: buffer) == "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n")
    }

    @Test func encodesLengthsOfSeveralDigits() {
        var command = RedisCommand("RPUSH", "list")
        for index in 0..<10 { command.append(String(index)) }
        command.append(bytes: [UInt8](repeating: 0x61, count: 12_345))
        var buffer = ByteBuffer()
        RESPEncoder.encode(command, into: &buffer)
        var expected = "*13\r\n$5\r\nRPUSH\r\n$4\r\nlist\r\n"
        for index in 0..<10 { expected += "$1\r\n\(index)\r\n" }
        expected += "$12345\r\n" + String(repeating: "a", count: 12_345) + "\r\n"
        #expect(String(buffer: buffer) == expected)
    }

    @Test func decodesEveryReplyType() throws {
        let decoder = RESPDecoder()
        try decoder.feed(ByteBuffer(string: "+OK\r\n-ERR bad\r\n:-7\r\n$3\r\na\u{0}b\r\n$-1\r\n*2\r\n:1\r\n*1\r\n$0\r\n\r\n*-1\r\n"))
        #expect(try decoder.next() == .status("OK"))
        #expect(try decoder.next() == .error("ERR bad"))
        #expect(try decoder.next() == .integer(-7))
        #expect(try decoder.next() == .bulkString([0x61, 0x00, 0x62]))
        #expect(try decoder.next() == .null)
        #expect(try decoder.next() == .array([.integer(1), .array([.bulkString([])])]))
        #expect(try decoder.next() == .null)
        #expect(try decoder.next() == nil)
    }

    @Test func decodesRepliesSplitAcrossReads() throws {
        let decoder = RESPDecoder()
        let wire = Array("*2\r\n$5\r\nhello\r\n:12345\r\n".utf8)
        var values: [RedisValue] = []
        for byte in wire {
            try decoder.feed(ByteBuffer(bytes: [byte]))
            while let value = try decoder.next() { values.append(value) }
        }
        #expect(values == [.array([.bulkString(Array("hello".utf8)), .integer(12345)])])
    }

    @Test func rejectsInvalidProtocol() throws {
        let decoder = RESPDecoder()
        try decoder.feed(ByteBuffer(string: "?what\r\n"))
        #expect {
            try decoder.next()
        } throws: { error in
            (error as? RedisError)?.code == .protocolViolation
        }
    }
}
