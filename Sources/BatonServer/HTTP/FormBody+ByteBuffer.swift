import BatonCore
import NIOCore

extension FormBody {
    /// Parses a body held in a buffer, over its raw bytes.
    init(_ buffer: ByteBuffer) throws {
        self = try buffer.withUnsafeReadableBytes { try FormBody($0) }
    }
}
