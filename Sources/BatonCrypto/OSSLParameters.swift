import COpenSSL

/// An `OSSL_PARAM` array that owns copies of its names and values for as long as `withUnsafeParameters`
/// runs, so no pointer into a temporary Swift string outlives its call. Values are cleansed before they
/// are freed, because they are often key material.
struct OSSLParameters {
    private enum Value {
        case utf8String(String)
        case octetString([UInt8])
        case integer(Int32)
        /// An unsigned big-endian integer (a JWK's `n`), handed to OpenSSL in native byte order.
        case unsignedInteger(bigEndian: [UInt8])
    }

    private var entries: [(name: String, value: Value)] = []

    /// Adds a UTF-8 string parameter.
    mutating func add(_ name: String, utf8String value: String) {
        entries.append((name, .utf8String(value)))
    }

    /// Adds an octet-string parameter.
    mutating func add(_ name: String, octetString value: [UInt8]) {
        entries.append((name, .octetString(value)))
    }

    /// Adds an `int` parameter.
    mutating func add(_ name: String, integer value: Int32) {
        entries.append((name, .integer(value)))
    }

    /// Adds an unsigned big-number parameter from its big-endian bytes.
    mutating func add(_ name: String, unsignedBigEndian value: [UInt8]) {
        entries.append((name, .unsignedInteger(bigEndian: value)))
    }

    /// Calls `body` with the terminated array; nothing in it is valid after `body` returns.
    func withUnsafeParameters<Result>(_ body: (UnsafePointer<OSSL_PARAM>) throws -> Result) rethrows -> Result {
        var allocations: [(UnsafeMutableRawPointer, Int)] = []
        defer {
            for (pointer, count) in allocations {
                OPENSSL_cleanse(pointer, count)
                pointer.deallocate()
            }
        }
        func copy(_ bytes: [UInt8], terminated: Bool) -> UnsafeMutableRawPointer {
            let count = bytes.count + (terminated ? 1 : 0)
            let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 8)
            pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(count, 1))
            bytes.withUnsafeBytes { if let source = $0.baseAddress { pointer.copyMemory(from: source, byteCount: $0.count) } }
            allocations.append((pointer, max(count, 1)))
            return pointer
        }
        var parameters: [OSSL_PARAM] = entries.map { name, value in
            let key = UnsafePointer(copy(Array(name.utf8), terminated: true).assumingMemoryBound(to: CChar.self))
            switch value {
            case .utf8String(let string):
                let bytes = Array(string.utf8)
                let buffer = copy(bytes, terminated: true).assumingMemoryBound(to: CChar.self)
                return OSSL_PARAM_construct_utf8_string(key, buffer, bytes.count)
            case .octetString(let bytes):
                return OSSL_PARAM_construct_octet_string(key, copy(bytes, terminated: false), bytes.count)
            case .integer(let integer):
                let buffer = copy(withUnsafeBytes(of: integer) { Array($0) }, terminated: false)
                return OSSL_PARAM_construct_int(key, buffer.assumingMemoryBound(to: Int32.self))
            case .unsignedInteger(let bigEndian):
                let native = UInt16(1).littleEndian == 1 ? Array(bigEndian.reversed()) : bigEndian
                let buffer = copy(native, terminated: false).assumingMemoryBound(to: UInt8.self)
                return OSSL_PARAM_construct_BN(key, buffer, native.count)
            }
        }
        parameters.append(OSSL_PARAM_construct_end())
        return try parameters.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}
