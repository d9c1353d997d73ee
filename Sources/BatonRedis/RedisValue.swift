/// One reply from Redis, as RESP2 defines it.
///
/// ```swift
/// let reply = try await client.send("HGET", "user:1", "name")
/// if case .bulkString(let bytes) = reply { ... }
/// ```
public enum RedisValue: Sendable, Hashable {
    /// A `+OK`-style status line.
    case status(String)
    /// A `-ERR ...` error reply; `RedisClient.send` throws these as `RedisError.server`.
    case error(String)
    /// A `:` integer reply.
    case integer(Int64)
    /// A `$` bulk string, binary safe.
    case bulkString([UInt8])
    /// A `*` array of replies.
    case array([RedisValue])
    /// The nil bulk string or nil array.
    case null
}

extension RedisValue {
    /// The reply as text, for status and bulk-string replies (UTF-8 decoded).
    public var string: String? {
        switch self {
        case .status(let text): return text
        case .bulkString(let bytes): return String(decoding: bytes, as: UTF8.self)
        default: return nil
        }
    }

    /// The reply as an integer, for integer replies and bulk strings holding a decimal number.
    public var int: Int64? {
        switch self {
        case .integer(let value): return value
        case .bulkString(let bytes): return Int64(String(decoding: bytes, as: UTF8.self))
        default: return nil
        }
    }

    /// The bytes of a bulk-string reply.
    public var bytes: [UInt8]? {
        if case .bulkString(let bytes) = self { return bytes }
        return nil
    }

    /// The elements of an array reply.
    public var array: [RedisValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// Whether this is the nil reply.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
