import BatonCore

/// A cookie as the browser keeps it, HttpOnly ones included (WebDriver's cookie object, W3C
/// WebDriver §14 "Cookies").
public struct WebDriverCookie: Sendable, Equatable {
    /// The name.
    public var name: String
    /// The value.
    public var value: String
    /// The path it is sent for.
    public var path: String
    /// The domain: the host it was set by for a host-only cookie (no `Domain` attribute), with a
    /// leading dot for a domain cookie.
    public var domain: String
    /// Whether it is only sent over secure connections.
    public var secure: Bool
    /// Whether scripts cannot read it (`document.cookie`).
    public var httpOnly: Bool
    /// `Strict`, `Lax` or `None`, as the browser reports it.
    public var sameSite: String?
    /// When it expires, in seconds since 1970; nil for a session cookie.
    public var expiry: Int?

    /// Reads a cookie object of a WebDriver response.
    init(_ json: JSONValue) throws {
        guard let name = json[member: "name"]?.stringValue, let value = json[member: "value"]?.stringValue else {
            throw LocalServerError("WebDriver sent a cookie without name or value: \(json.jsonText)")
        }
        self.name = name
        self.value = value
        self.path = json[member: "path"]?.stringValue ?? "/"
        self.domain = json[member: "domain"]?.stringValue ?? ""
        self.secure = json[member: "secure"]?.boolValue ?? false
        self.httpOnly = json[member: "httpOnly"]?.boolValue ?? false
        self.sameSite = json[member: "sameSite"]?.stringValue
        self.expiry = json[member: "expiry"]?.intValue
    }
}
