/// Base64url without padding (RFC 4648 §5, as JOSE uses it: RFC 7515 §2), at the byte level.
///
/// Encoding appends ASCII bytes to a `[UInt8]` so JWTs can be assembled without `String` work.
/// Decoding is strict: no padding, no whitespace, no characters outside the alphabet, no impossible
/// lengths and no non-zero leftover bits, so every value has exactly one encoding.
///
/// ```swift
/// var token: [UInt8] = []
/// Base64URL.encode(header, into: &token)   // "eyJhbGciOiJFUzI1NiJ9"
/// let bytes = try Base64URL.decode("eyJhbGciOiJFUzI1NiJ9")
/// ```
public enum Base64URL {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Maps an ASCII byte to its 6-bit value, or 0xFF for bytes outside the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in alphabet.enumerated() { table[Int(character)] = UInt8(value) }
        return table
    }()

    /// The number of characters that encode `byteCount` bytes.
    public static func encodedCount(_ byteCount: Int) -> Int {
        let remainder = byteCount % 3
        return byteCount / 3 * 4 + (remainder == 0 ? 0 : remainder + 1)
    }

    /// Appends the encoding of `bytes` to `output`.
    public static func encode(_ bytes: some Collection<UInt8>, into output: inout [UInt8]) {
        bytes.withContiguousBytes { input in
            let start = output.count
            let count = encodedCount(input.count)
            output.append(contentsOf: repeatElement(0, count: count))
            output.withUnsafeMutableBufferPointer { buffer in
                alphabet.withUnsafeBufferPointer { alphabet in
                    var out = start
                    var index = 0
                    while index + 3 <= input.count {
                        let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                        buffer[out] = alphabet[Int(group >> 18)]
                        buffer[out + 1] = alphabet[Int(group >> 12 & 0x3F)]
                        buffer[out + 2] = alphabet[Int(group >> 6 & 0x3F)]
                        buffer[out + 3] = alphabet[Int(group & 0x3F)]
                        index += 3
                        out += 4
                    }
                    switch input.count - index {
                    case 1:
                        let group = UInt32(input[index]) << 16
                        buffer[out] = alphabet[Int(group >> 18)]
                        buffer[out + 1] = alphabet[Int(group >> 12 & 0x3F)]
                    case 2:
                        let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
                        buffer[out] = alphabet[Int(group >> 18)]
                        buffer[out + 1] = alphabet[Int(group >> 12 & 0x3F)]
                        buffer[out + 2] = alphabet[Int(group >> 6 & 0x3F)]
                    default:
                        break
                    }
                }
            }
        }
    }

    /// Replaces `bytes[start...]` with its encoding, in place: the array grows to the encoded
    /// length and the groups are encoded from the last to the first, so each is read before its
    /// output overwrites it. Lets a JWS segment be written as JSON and then encoded where it lies.
    public static func encodeInPlace(_ bytes: inout [UInt8], from start: Int) {
        let inputCount = bytes.count - start
        let outputCount = encodedCount(inputCount)
        bytes.append(contentsOf: repeatElement(0, count: outputCount - inputCount))
        bytes.withUnsafeMutableBufferPointer { buffer in
            alphabet.withUnsafeBufferPointer { alphabet in
                let whole = inputCount / 3
                let rest = inputCount - whole * 3
                if rest > 0 {
                    let first = UInt32(buffer[start + whole * 3])
                    let second = rest == 2 ? UInt32(buffer[start + whole * 3 + 1]) : 0
                    let group = first << 16 | second << 8
                    let out = start + whole * 4
                    buffer[out] = alphabet[Int(group >> 18)]
                    buffer[out + 1] = alphabet[Int(group >> 12 & 0x3F)]
                    if rest == 2 { buffer[out + 2] = alphabet[Int(group >> 6 & 0x3F)] }
                }
                var index = whole
                while index > 0 {
                    index -= 1
                    let input = start + index * 3
                    let group = UInt32(buffer[input]) << 16 | UInt32(buffer[input + 1]) << 8 | UInt32(buffer[input + 2])
                    let out = start + index * 4
                    buffer[out] = alphabet[Int(group >> 18)]
                    buffer[out + 1] = alphabet[Int(group >> 12 & 0x3F)]
                    buffer[out + 2] = alphabet[Int(group >> 6 & 0x3F)]
                    buffer[out + 3] = alphabet[Int(group & 0x3F)]
                }
            }
        }
    }

    /// The encoding of `bytes`, as ASCII bytes.
    public static func encode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(encodedCount(bytes.count))
        encode(bytes, into: &output)
        return output
    }

    /// The encoding of `bytes`, as a string.
    public static func encodeToString(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: encode(bytes), as: UTF8.self)
    }

    /// Decodes base64url ASCII bytes; throws `CryptoError.invalidEncoding` on anything non-canonical.
    public static func decode(_ encoded: some Collection<UInt8>) throws -> [UInt8] {
        try encoded.withContiguousBytes { input in
            guard input.count % 4 != 1 else {
                throw CryptoError(.invalidEncoding, "base64url input has an impossible length (\(input.count))")
            }
            let remainder = input.count % 4
            let count = input.count / 4 * 3 + (remainder == 0 ? 0 : remainder - 1)
            return try values.withUnsafeBufferPointer { values in
                func value(_ position: Int) throws -> UInt32 {
                    let value = values[Int(input[position])]
                    guard value != 0xFF else {
                        throw CryptoError(.invalidEncoding, "base64url input has an invalid character at offset \(position)")
                    }
                    return UInt32(value)
                }
                return try [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
                    var index = 0
                    var out = 0
                    while index + 4 <= input.count {
                        let group = try value(index) << 18 | value(index + 1) << 12 | value(index + 2) << 6 | value(index + 3)
                        output[out] = UInt8(truncatingIfNeeded: group >> 16)
                        output[out + 1] = UInt8(truncatingIfNeeded: group >> 8)
                        output[out + 2] = UInt8(truncatingIfNeeded: group)
                        index += 4
                        out += 3
                    }
                    switch input.count - index {
                    case 2:
                        let group = try value(index) << 18 | value(index + 1) << 12
                        guard group & 0xFFFF == 0 else { throw nonCanonical }
                        output[out] = UInt8(truncatingIfNeeded: group >> 16)
                    case 3:
                        let group = try value(index) << 18 | value(index + 1) << 12 | value(index + 2) << 6
                        guard group & 0xFF == 0 else { throw nonCanonical }
                        output[out] = UInt8(truncatingIfNeeded: group >> 16)
                        output[out + 1] = UInt8(truncatingIfNeeded: group >> 8)
                    default:
                        break
                    }
                    initialized = count
                }
            }
        }
    }

    /// Decodes a base64url string; throws `CryptoError.invalidEncoding` on anything non-canonical.
    public static func decode(_ encoded: String) throws -> [UInt8] {
        try decode(encoded.utf8)
    }

    private static var nonCanonical: CryptoError {
        CryptoError(.invalidEncoding, "base64url input has non-zero bits after its last byte")
    }
}
