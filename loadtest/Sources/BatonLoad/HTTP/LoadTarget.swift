/// A base URL the harness sends requests to: `http://host:port[/prefix]`.
///
/// ```swift
/// let target = try LoadTarget(parsing: "http://127.0.0.1:8080")
/// target.path("/oauth/token")   // "/oauth/token"
/// ```
public struct LoadTarget: Sendable, Hashable, CustomStringConvertible {
    /// Host name or address to connect to.
    public let host: String
    /// TCP port.
    public let port: Int
    /// A path prefix put before every endpoint (empty, or starting with `/` and without a trailing one).
    public let pathPrefix: String

    /// Parses `http://host[:port][/prefix]`; only plain HTTP is supported.
    public init(parsing url: String) throws {
        guard url.hasPrefix("http://") else {
            throw LoadError.usage("--url \(url): only http:// base URLs are supported")
        }
        let rest = url.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var prefix = String(rest[authorityEnd...])
        while prefix.hasSuffix("/") { prefix.removeLast() }
        let host: Substring
        let port: Int
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            host = authority[..<colon]
            guard let parsed = Int(authority[authority.index(after: colon)...]), (1...65_535).contains(parsed) else {
                throw LoadError.usage("--url \(url): the port must be a number from 1 to 65535")
            }
            port = parsed
        } else {
            host = authority
            port = 80
        }
        guard !host.isEmpty, !host.contains("@") else {
            throw LoadError.usage("--url \(url): needs a host, and no user information")
        }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : String(host)
        self.port = port
        self.pathPrefix = prefix
    }

    /// The value of the `Host` header for this target.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? name : "\(name):\(port)"
    }

    /// The request target (path) of `endpoint` on this base URL.
    public func path(_ endpoint: String) -> String { pathPrefix + endpoint }

    /// The base URL.
    public var description: String { "http://\(hostHeader)\(pathPrefix)" }
}
