import BatonCore

/// The cookie that carries a cookie-mode session's refresh token (draft-ietf-oauth-browser-based-apps):
/// `__Host-baton_rt=…; Path=/; Max-Age=…; Secure; HttpOnly; SameSite=Strict`. The `__Host-` prefix
/// makes browsers refuse it without `Secure`, with a `Domain` or another `Path`, so no sibling
/// subdomain can set or overwrite it; `HttpOnly` hides it from the page's JavaScript; `SameSite=Strict`
/// keeps it off every cross-site request.
enum RefreshCookie {
    /// The cookie's name.
    static let name = "__Host-baton_rt"

    /// The `Set-Cookie` value that stores `token` for `maxAge` seconds.
    static func setting(_ token: [UInt8], maxAge: Int64) -> String {
        name + "=" + String(decoding: token, as: UTF8.self) + "; Path=/; Max-Age=\(maxAge)" + attributes
    }

    /// The `Set-Cookie` value that deletes the cookie.
    static let clearing = name + "=; Path=/; Max-Age=0" + attributes

    private static let attributes = "; Secure; HttpOnly; SameSite=Strict"

    /// The refresh token in the request's `Cookie` header values (RFC 6265 §5.4: `name=value` pairs
    /// separated by `; `), or nil when there is none. Two values for the name are refused: the
    /// `__Host-` prefix means no one else can have set one, so it is not a case to guess about.
    static func token(in cookieHeaders: [String]) throws -> String? {
        var found: String?
        for header in cookieHeaders {
            for pair in header.split(separator: ";") {
                let pair = pair.drop { $0 == " " || $0 == "\t" }
                guard let equals = pair.firstIndex(of: "="), pair[..<equals] == name else { continue }
                guard found == nil else {
                    throw BatonError(.invalidRequest, hint: "the request carries two \(name) cookies")
                }
                var value = pair[pair.index(after: equals)...]
                while value.last == " " || value.last == "\t" { value = value.dropLast() }
                if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
                found = String(value)
            }
        }
        return found?.isEmpty == true ? nil : found
    }
}
