/// A web origin (RFC 6454) as browsers send it in `Origin`: `scheme://host[:port]`, lowercase,
/// without a default port, path, query or user info. A cookie-mode client lists the exact origins
/// its pages run on (`allowed_origins`); a browser request is answered only for one of them.
///
/// `https` only, but for loopback hosts (`localhost`, `127.0.0.1`, `[::1]`), which browsers treat as
/// secure contexts and developers run pages on.
///
/// ```swift
/// let origin = try BrowserOrigin(parsing: "https://App.example.com:443")  // "https://app.example.com"
/// ```
public struct BrowserOrigin: Sendable, Hashable, CustomStringConvertible {
    /// The canonical serialisation, exactly as a browser's `Origin` header carries it.
    public let description: String

    /// Parses and canonicalises an origin (scheme and host lowercased, a default port dropped);
    /// anything else (a path, a trailing slash, `null`, another scheme) is `invalid_request` naming it.
    public init(parsing text: String) throws {
        let lowered = text.lowercased()
        let scheme: String
        if lowered.hasPrefix("https://") {
            scheme = "https"
        } else if lowered.hasPrefix("http://") {
            scheme = "http"
        } else {
            throw Self.invalid(text, "must start with https://")
        }
        let authority = lowered.dropFirst(scheme.count + 3)
        guard !authority.isEmpty, authority.utf8.count <= 253 + 6,
              !authority.contains(where: { "/?#@\\ ".contains($0) }) else {
            throw Self.invalid(text, "must be scheme://host[:port], without a path, query or user info")
        }
        var host = Substring(authority)
        var port: Int?
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            let digits = authority[authority.index(after: colon)...]
            guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.first != "0", let value = Int(digits),
                  (1...65_535).contains(value) else { throw Self.invalid(text, "has an invalid port") }
            host = authority[..<colon]
            port = value
        }
        guard Self.isHost(host) else { throw Self.invalid(text, "has an invalid host") }
        let isLoopback = host == "localhost" || host == "127.0.0.1" || host == "[::1]"
        guard scheme == "https" || isLoopback else { throw Self.invalid(text, "must use https (http only for localhost)") }
        let defaultPort = scheme == "https" ? 443 : 80
        description = scheme + "://" + host + (port.map { $0 == defaultPort ? "" : ":\($0)" } ?? "")
    }

    /// A DNS name (letters, digits, `-`, `.`), an IPv4 address, or a bracketed IPv6 address.
    private static func isHost(_ host: Substring) -> Bool {
        if host.hasPrefix("[") {
            return host.hasSuffix("]") && host.count > 2 && host.dropFirst().dropLast().allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return !labels.isEmpty && labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { $0.isASCII && (Character($0).isLetter || Character($0).isNumber || $0 == "-") }
        }
    }

    private static func invalid(_ text: String, _ problem: String) -> BatonError {
        BatonError(.invalidRequest, hint: "allowed origin '\(FormBody.printable(text))' \(problem)")
    }
}
