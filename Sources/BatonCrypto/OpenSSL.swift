import COpenSSL

/// The one place where OpenSSL's return codes and error queue become `CryptoError`, and where the
/// algorithm implementations every call needs are fetched, once per process.
///
/// OpenSSL 3 looks algorithms up by name in its provider tables; doing that per call costs more than
/// a SHA-256 of a token. Everything in BatonCrypto uses these pre-fetched handles instead.
enum OpenSSL {
    // Fetched implementations are immutable and documented as safe to share between threads.
    /// SHA-256 (`EVP_MD`).
    nonisolated(unsafe) static let sha256: OpaquePointer = fetched(EVP_MD_fetch(nil, "SHA256", nil), "SHA256")
    /// HKDF (`EVP_KDF`).
    nonisolated(unsafe) static let hkdf: OpaquePointer = fetched(EVP_KDF_fetch(nil, "HKDF", nil), "HKDF")
    /// AES-256-GCM (`EVP_CIPHER`).
    nonisolated(unsafe) static let aes256GCM: OpaquePointer =
        fetched(EVP_CIPHER_fetch(nil, "AES-256-GCM", nil), "AES-256-GCM")

    /// Throws unless an OpenSSL call returned 1, its usual "success".
    static func check(
        _ result: Int32, _ operation: String, code: CryptoError.Code = .library,
        file: String = #fileID, line: Int = #line
    ) throws {
        guard result == 1 else { throw error(operation, code: code, file: file, line: line) }
    }

    /// Throws unless an OpenSSL call's result satisfies `condition`.
    static func check(
        _ condition: Bool, _ operation: String, code: CryptoError.Code = .library,
        file: String = #fileID, line: Int = #line
    ) throws {
        guard condition else { throw error(operation, code: code, file: file, line: line) }
    }

    /// Returns the pointer an OpenSSL call produced, or throws if it produced none.
    static func check<Pointer>(
        _ pointer: Pointer?, _ operation: String, code: CryptoError.Code = .library,
        file: String = #fileID, line: Int = #line
    ) throws -> Pointer {
        guard let pointer else { throw error(operation, code: code, file: file, line: line) }
        return pointer
    }

    /// A `CryptoError` for a failed `operation`, carrying (and draining) this thread's OpenSSL error queue.
    static func error(
        _ operation: String, code: CryptoError.Code = .library, file: String = #fileID, line: Int = #line
    ) -> CryptoError {
        var reasons: [String] = []
        var packed = ERR_get_error()
        while packed != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(packed, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            packed = ERR_get_error()
        }
        let message = reasons.isEmpty ? "\(operation) failed" : "\(operation) failed: \(reasons.joined(separator: "; "))"
        return CryptoError(code, message, file: file, line: line)
    }

    /// Forgets this thread's queued OpenSSL errors, after a failure that is an answer rather than an error
    /// (a signature that does not verify).
    static func clearErrors() {
        ERR_clear_error()
    }

    private static func fetched(_ algorithm: OpaquePointer?, _ name: String) -> OpaquePointer {
        guard let algorithm else {
            preconditionFailure("OpenSSL cannot fetch \(name): its default provider is not available")
        }
        return algorithm
    }
}
