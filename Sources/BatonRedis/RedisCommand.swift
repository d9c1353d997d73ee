/// A Redis command and its arguments, binary safe, ready to be encoded.
///
/// ```swift
/// var command = RedisCommand("HSET", "user:1")
/// command.append("name")
/// command.append(bytes: [0x00, 0xff])
/// ```
public struct RedisCommand: Sendable, Hashable {
    /// All arguments back to back.
    var storage: [UInt8]
    /// Where each argument ends in `storage`.
    var ends: [Int]

    /// Creates a command from its name and leading text arguments.
    public init(_ name: String, _ arguments: String...) {
        self.init(name, arguments)
    }

    /// Creates a command from its name and text arguments.
    public init(_ name: String, _ arguments: [String]) {
        storage = []
        storage.reserveCapacity(64)
        ends = []
        ends.reserveCapacity(arguments.count + 1)
        append(name)
        for argument in arguments { append(argument) }
    }

    /// Starts a command whose arguments, to be appended, come to about `bytes` bytes (the name
    /// included) in `arguments` arguments: one allocation each for the bytes and their ends.
    public init(_ name: String, reservingBytes bytes: Int, arguments: Int) {
        storage = []
        storage.reserveCapacity(bytes)
        ends = []
        ends.reserveCapacity(arguments + 1)
        append(name)
    }

    /// Appends a text argument (UTF-8).
    public mutating func append(_ argument: String) {
        storage.append(contentsOf: argument.utf8)
        ends.append(storage.count)
    }

    /// Appends a binary argument.
    public mutating func append(bytes: some Sequence<UInt8>) {
        storage.append(contentsOf: bytes)
        ends.append(storage.count)
    }

    /// Appends an integer argument in decimal.
    public mutating func append(_ argument: Int) {
        append(String(argument))
    }

    /// The number of arguments, the command name included.
    public var count: Int { ends.count }

    /// The command name, for error messages and metrics.
    public var name: String {
        String(decoding: storage[0..<(ends.first ?? 0)], as: UTF8.self)
    }
}
