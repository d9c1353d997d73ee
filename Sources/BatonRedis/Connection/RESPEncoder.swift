import NIOCore

/// Encodes commands as RESP arrays of bulk strings (`*<n>\r\n` then `$<length>\r\n<argument>\r\n`
/// for each argument), sized first and then written into the channel's buffer in one pass.
/// hiredis's `redisFormatCommandArgv` did this through a buffer of its own and `sprintf` for every
/// length (2 % of a refresh's instructions and an allocation per command), and writing piece by
/// piece through `ByteBuffer` costs about as much in its checks (`make bench-instructions`).
enum RESPEncoder {
    /// Appends the RESP encoding of `command` to `buffer`.
    static func encode(_ command: RedisCommand, into buffer: inout ByteBuffer) {
        var size = 3 + digitCount(command.ends.count)
        var start = 0
        for end in command.ends {
            size += 5 + digitCount(end - start) + end - start
            start = end
        }
        command.storage.withUnsafeBytes { storage in
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { output in
                var at = 0
                write(UInt8(ascii: "*"), command.ends.count, to: output, at: &at)
                var start = 0
                for end in command.ends {
                    write(UInt8(ascii: "$"), end - start, to: output, at: &at)
                    output.baseAddress!.advanced(by: at).copyMemory(from: storage.baseAddress!.advanced(by: start), byteCount: end - start)
                    at += end - start
                    output[at] = UInt8(ascii: "\r")
                    output[at + 1] = UInt8(ascii: "\n")
                    at += 2
                    start = end
                }
                return at
            }
        }
    }

    /// Writes `marker`, `value` in decimal and CRLF at `at`, moving it on.
    private static func write(_ marker: UInt8, _ value: Int, to output: UnsafeMutableRawBufferPointer, at: inout Int) {
        output[at] = marker
        at += 1
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            output[at] = UInt8(ascii: "0") + UInt8(rest / divisor)
            at += 1
            rest %= divisor
            divisor /= 10
        }
        output[at] = UInt8(ascii: "\r")
        output[at + 1] = UInt8(ascii: "\n")
        at += 2
    }

    /// The number of decimal digits of a non-negative `value`.
    private static func digitCount(_ value: Int) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }
}
