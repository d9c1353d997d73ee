import BatonAuth
import BatonCore
import Hummingbird

/// `/.well-known/jwks.json` (RFC 7517) and `/.well-known/oauth-authorization-server` (RFC 8414).
struct WellKnownController<Context: RequestContext>: Sendable {
    let configuration: AuthConfiguration
    let keyring: Keyring
    let clock: any WallClock

    func addRoutes(to router: Router<Context>) {
        router.get("/.well-known/jwks.json") { _, _ in
            let body = keyring.jwks(at: clock.seconds())
            return Response.json(body, noStore: false,
                                 headers: [.cacheControl: "public, max-age=\(configuration.jwksMaxAge)"])
        }
        router.get("/.well-known/oauth-authorization-server") { _, _ in
            Response.json(metadata(), noStore: false, headers: [.cacheControl: "public, max-age=3600"])
        }
    }

    private func metadata() -> [UInt8] {
        let base = configuration.issuer.hasSuffix("/") ? String(configuration.issuer.dropLast()) : configuration.issuer
        func list(_ items: [String]) -> [UInt8] {
            var bytes: [UInt8] = [UInt8(ascii: "[")]
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(item.utf8, to: &bytes)
            }
            return bytes + [UInt8(ascii: "]")]
        }
        let authMethods = ["client_secret_basic", "client_secret_post", "none"]
        var json = JSONWriter(capacity: 1024)
        json.member("issuer", configuration.issuer)
        json.member("token_endpoint", configuration.tokenEndpoint)  // what a DPoP proof's htu names
        json.member("jwks_uri", base + "/.well-known/jwks.json")
        json.member("revocation_endpoint", base + "/oauth/revoke")
        json.member("introspection_endpoint", base + "/oauth/introspect")
        json.member("grant_types_supported", rawJSON: list(["refresh_token", "client_credentials"]))
        json.member("response_types_supported", rawJSON: list([]))
        json.member("token_endpoint_auth_methods_supported", rawJSON: list(authMethods))
        json.member("revocation_endpoint_auth_methods_supported", rawJSON: list(authMethods))
        json.member("introspection_endpoint_auth_methods_supported", rawJSON: list(authMethods))
        json.member("token_endpoint_auth_signing_alg_values_supported", rawJSON: list([]))
        json.member("access_token_signing_alg_values_supported", rawJSON: list(["ES256", "EdDSA", "RS256"]))
        // RFC 9449 §5.1: the algorithms `DPoPProofVerifier` accepts.
        json.member("dpop_signing_alg_values_supported", rawJSON: list(["ES256", "EdDSA", "RS256"]))
        return json.finish()
    }
}
