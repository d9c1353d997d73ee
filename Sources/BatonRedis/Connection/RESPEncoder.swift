import NIOCore

/// Encodes commands as RESP arrays of bulk strings (`*<n>\r\n` then `$<length>\r\n<argument>\r\n`
/// for each argument), straight into the channel's buffer. hiredis's `redisFormatCommandArgv` did
/// this through a buffer of its own and `sprintf` for every length: 2 % of a refresh's
/// instructions and one allocation per command (`make bench-instructions`).
enum RESPEncoder {
    /// Appends the RESP encoding of `command` to `buffer`.
    static func encode(_ command: RedisCommand, into buffer: inout ByteBuffer) {
        buffer.reserveCapacity(minimumWritableBytes: command.storage.count + 16 * command.ends.count + 16)
        buffer.writeInteger(UInt8(ascii: "*"))
        writeDecimal(command.ends.count, to: &buffer)
        buffer.writeStaticString("\r\n")
        command.storage.withUnsafeBytes { storage in
            var start = 0
            for end in command.ends {
                buffer.writeInteger(UInt8(ascii: "$"))
                writeDecimal(end - start, to: &buffer)
                buffer.writeStaticString("\r\n")
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: storage[start..<end]))
                buffer.writeStaticString("\r\n")
                start = end
            }
        }
    }

    /// Writes a non-negative `value` in decimal.
    private static func writeDecimal(_ value: Int, to buffer: inout ByteBuffer) {
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
