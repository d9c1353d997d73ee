import BatonCore
import Testing

/// Allowed origins are stored exactly as browsers serialise `Origin` (RFC 6454 §6.2), so the
/// comparison with the header is byte for byte.
@Suite struct BrowserOriginTests {
    @Test(arguments: [
        ("https://app.example.com", "https://app.example.com"),
        ("HTTPS://App.Example.COM", "https://app.example.com"),
        ("https://app.example.com:443", "https://app.example.com"),
        ("https://app.example.com:8443", "https://app.example.com:8443"),
        ("http://localhost:5173", "http://localhost:5173"),
        ("http://127.0.0.1", "http://127.0.0.1"),
        ("http://127.0.0.1:80", "http://127.0.0.1"),
        ("https://[::1]:8443", "https://[::1]:8443"),
        ("https://10.0.0.7", "https://10.0.0.7"),
    ])
    func canonicalisesAnOrigin(text: String, canonical: String) throws {
        #expect(try BrowserOrigin(parsing: text).description == canonical)
    }

    @Test(arguments: [
        "app.example.com", "null", "https://", "https://app.example.com/", "https://app.example.com/path",
        "https://app.example.com?x=1", "https://app.example.com#f", "https://user@app.example.com",
        "http://app.example.com", "ftp://app.example.com", "https://app.example.com:0", "https://app.example.com:65536",
        "https://app.example.com:08443", "https://app.example.com:", "https://-app.example.com", "https://app..example.com",
        "https://app example.com", "https://app.exämple.com", "https://[::1", "https://app.example.com:+443",
    ])
    func refusesAnythingElseNamingIt(text: String) {
        #expect {
            try BrowserOrigin(parsing: text)
        } throws: { error in
            guard let error = error as? BatonError else { return false }
            return error.code == .invalidRequest && error.hint.contains("allowed origin")
        }
    }
}
