/// Bytes from a hex string with optional whitespace, for transcribing RFC vectors.
func hex(_ string: String) -> [UInt8] {
    let digits = Array(string.utf8.filter { !$0.isWhitespace })
    precondition(digits.count % 2 == 0, "odd number of hex digits")
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
}

/// Lower-case hex of `bytes`.
func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
}

/// The UTF-8 bytes of `string`.
func utf8(_ string: String) -> [UInt8] {
    Array(string.utf8)
}

extension UInt8 {
    fileprivate var isWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
