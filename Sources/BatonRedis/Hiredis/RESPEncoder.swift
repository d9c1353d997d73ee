import CHiredis
import NIOCore

/// Encodes commands as RESP with hiredis's `redisFormatCommandArgv`.
enum RESPEncoder {
    /// Appends the RESP encoding of `command` to `buffer`.
    static func encode(_ command: RedisCommand, into buffer: inout ByteBuffer) {
        let argc = command.ends.count
        withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: argc) { argv in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: argc) { lengths in
                command.storage.withUnsafeBufferPointer { storage in
                    // An empty array has no base address; hiredis only reads `lengths[i]` bytes anyway.
                    let base = UnsafeRawPointer(storage.baseAddress ?? UnsafePointer(bitPattern: 1)!)
                    var start = 0
                    for (index, end) in command.ends.enumerated() {
                        argv[index] = (base + start).assumingMemoryBound(to: CChar.self)
                        lengths[index] = end - start
                        start = end
                    }
                    var target: UnsafeMutablePointer<CChar>?
                    let length = redisFormatCommandArgv(&target, Int32(argc), argv.baseAddress, lengths.baseAddress)
                    guard length >= 0, let target else {
                        preconditionFailure("hiredis could not allocate a command buffer")
                    }
                    defer { redisFreeCommand(target) }
                    buffer.writeBytes(UnsafeRawBufferPointer(start: target, count: Int(length)))
                }
            }
        }
    }
}
