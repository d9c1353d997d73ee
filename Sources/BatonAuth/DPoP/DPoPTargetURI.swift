import BatonCore

/// The form in which a proof's `htu` and the token endpoint's URL are compared (RFC 9449 §4.3):
/// query and fragment dropped, then RFC 3986's syntax-based (§6.2.2: scheme and host lower case,
/// percent-encoding in upper case with unreserved characters decoded, dot segments removed) and
/// scheme-based normalisation (§6.2.3: default port dropped, empty path "/").
///
/// ```swift
/// DPoPTargetURI.normalized("HTTPS://Baton.Example:443/oauth/%74oken?x=1")   // "https://baton.example/oauth/token"
/// ```
enum DPoPTargetURI {
    /// `uri` in comparison form, or nil when it is not an absolute http(s) URI with a host and no
    /// userinfo (a target URI has none: RFC 9110 §7.1).
    static func normalized(_ uri: String) -> String? {
        var bytes = Array(uri.utf8)
        if let end = bytes.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            bytes.removeSubrange(end...)
        }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
              bytes[colon...].starts(with: "://".utf8)
        else { return nil }
        let scheme = String(decoding: bytes[..<colon].map(asciiLowercased), as: UTF8.self)
        let defaultPort: Int
        switch scheme {
        case "http": defaultPort = 80
        case "https": defaultPort = 443
        default: return nil
        }
        let rest = bytes[(colon + 3)...]
        let pathStart = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
        guard let authority = authority(rest[..<pathStart], defaultPort: defaultPort),
              let path = path(rest[pathStart...])
        else { return nil }
        return scheme + "://" + authority + path
    }

    /// `host[:port]` with the host in lower case and the port in plain decimal, absent when default.
    private static func authority(_ bytes: ArraySlice<UInt8>, defaultPort: Int) -> String? {
        guard !bytes.contains(UInt8(ascii: "@")) else { return nil }
        let hostEnd: Int
        if bytes.first == UInt8(ascii: "[") {
            guard let bracket = bytes.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostEnd = bracket + 1
        } else {
            hostEnd = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
        }
        let host = String(decoding: bytes[..<hostEnd].map(asciiLowercased), as: UTF8.self)
        guard !host.isEmpty else { return nil }
        let portText = bytes[hostEnd...]
        if portText.isEmpty { return host }
        guard portText.first == UInt8(ascii: ":"), portText.count <= 6,
              portText.dropFirst().allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        let digits = portText.dropFirst()
        if digits.isEmpty { return host }  // "host:" means the default port (RFC 3986 §6.2.3)
        guard let port = Int(String(decoding: digits, as: UTF8.self)), port <= 65_535 else { return nil }
        return port == defaultPort ? host : host + ":" + String(port)
    }

    /// The path with percent-encoding normalised and dot segments removed; "/" when empty.
    private static func path(_ bytes: ArraySlice<UInt8>) -> String? {
        guard let decoded = percentNormalized(bytes) else { return nil }
        // The path is empty or starts with "/": the first segment is the empty one before it.
        var segments: [ArraySlice<UInt8>] = []
        var endsInDirectory = false
        for segment in decoded.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst() {
            switch String(decoding: segment, as: UTF8.self) {
            case ".":
                endsInDirectory = true
            case "..":
                _ = segments.popLast()
                endsInDirectory = true
            default:
                segments.append(segment)
                endsInDirectory = false
            }
        }
        if endsInDirectory { segments.append([]) }
        let joined = segments.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
        return "/" + joined
    }

    /// `bytes` with each `%XX` in upper-case hex, or decoded when it stands for an unreserved
    /// character (RFC 3986 §2.3); nil when a `%` is not followed by two hex digits.
    private static func percentNormalized(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard bytes[index] == UInt8(ascii: "%") else {
                output.append(bytes[index])
                index += 1
                continue
            }
            guard index + 2 < bytes.endIndex, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            else { return nil }
            let byte = high << 4 | low
            if isURIUnreserved(byte) {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "%"), upperHex[Int(high)], upperHex[Int(low)]]
            }
            index += 3
        }
        return output
    }

    private static let upperHex = Array("0123456789ABCDEF".utf8)

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
