import BatonCore
import HTTPTypes

extension HTTPField.Name {
    /// The custom header every cookie-mode request must carry (`X-Baton-CSRF: 1`). A cross-site form
    /// cannot set a header, and a cross-origin `fetch` that sets one needs a CORS preflight that only
    /// an allowed origin passes.
    static let batonCSRF = HTTPField.Name("X-Baton-CSRF")!
}

/// The checks a cookie-mode request passes before anything else is read (draft-ietf-oauth-browser-based-apps,
/// CSRF defences): an `Origin` from the client's allow list, exactly, and the custom CSRF header; and
/// the CORS headers that let only those origins read the answers, with credentials.
enum BrowserRequestCheck {
    /// The request's origin when it is one of `client`'s allowed origins; else 403 `access_denied`
    /// naming the problem. `origins` is every `Origin` header value.
    static func allowedOrigin(of client: Client, origins: [String]) throws -> String {
        guard let origin = origins.first else {
            throw BatonError(.accessDenied, hint: "the request has no Origin header: browser routes answer pages of the client's allowed origins only")
        }
        guard origins.count == 1, client.policy.allows(origin: origin) else {
            throw BatonError(.accessDenied, hint: "the origin '\(FormBody.printable(origin))' is not allowed for this client")
        }
        return origin
    }

    /// Throws 403 `access_denied` unless the request carries exactly `X-Baton-CSRF: 1`.
    static func requireCSRFHeader(_ values: [String]) throws {
        guard values == ["1"] else {
            throw BatonError(.accessDenied, hint: "the request must carry the header X-Baton-CSRF: 1")
        }
    }

    /// The CORS headers of an answer to `origin` (an allowed one): readable by that origin's page,
    /// with credentials (the cookie), `DPoP-Nonce` exposed.
    static func corsHeaders(for origin: String) -> HTTPFields {
        [
            .accessControlAllowOrigin: origin, .accessControlAllowCredentials: "true",
            .accessControlExposeHeaders: "DPoP-Nonce", .vary: "Origin",
        ]
    }

    /// The answer headers of a CORS preflight from an allowed `origin`: `POST` with the headers a
    /// page sends, cached by the browser for 10 minutes.
    static func preflightHeaders(for origin: String) -> HTTPFields {
        [
            .accessControlAllowOrigin: origin, .accessControlAllowCredentials: "true",
            .accessControlAllowMethods: "POST", .accessControlAllowHeaders: "X-Baton-CSRF, DPoP, Content-Type",
            .accessControlMaxAge: "600", .vary: "Origin",
        ]
    }
}
