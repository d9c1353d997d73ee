extension Collection<UInt8> {
    /// Runs `body` over the bytes in contiguous memory, copying them only when the collection has none
    /// (arrays, slices and native strings' UTF-8 views never copy).
    func withContiguousBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        if let result = try withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return try Array(self).withUnsafeBytes(body)
    }
}
