@testable import BatonAuth
import Testing

/// The comparison form of `htu` (RFC 9449 §4.3, RFC 3986 §6.2.2 and §6.2.3).
@Suite struct DPoPTargetURITests {
    @Test func equivalentSpellingsNormaliseAlike() {
        let cases: KeyValuePairs<String, String> = [
            "https://baton.example/oauth/token": "https://baton.example/oauth/token",
            "HtTpS://BATON.Example/oauth/token": "https://baton.example/oauth/token",
            "https://baton.example:443/oauth/token": "https://baton.example/oauth/token",
            "http://baton.example:80/oauth/token": "http://baton.example/oauth/token",
            "http://baton.example:0080/oauth/token": "http://baton.example/oauth/token",
            "http://baton.example:443/oauth/token": "http://baton.example:443/oauth/token",
            "https://baton.example:/oauth/token": "https://baton.example/oauth/token",
            "https://baton.example": "https://baton.example/",
            "https://baton.example?x=1": "https://baton.example/",
            "https://baton.example/oauth/token?a=b#c": "https://baton.example/oauth/token",
            "https://baton.example/oauth/token#c?d": "https://baton.example/oauth/token",
            "https://baton.example/%7Euser/%2f%2A": "https://baton.example/~user/%2F%2A",
            "https://baton.example/OAuth/Token": "https://baton.example/OAuth/Token",
            "https://baton.example/a/b/c/./../../g": "https://baton.example/a/g",
            "https://baton.example/a/b/..": "https://baton.example/a/",
            "https://baton.example/a/%2E%2E/b": "https://baton.example/b",
            "https://baton.example/../..": "https://baton.example/",
            "https://baton.example/a//b/": "https://baton.example/a//b/",
            "http://[::1]:8080/oauth/token": "http://[::1]:8080/oauth/token",
            "http://[FE80::1]:80": "http://[fe80::1]/",
        ]
        for (uri, normalized) in cases {
            #expect(DPoPTargetURI.normalized(uri) == normalized, "\(uri)")
        }
    }

    @Test func nonHTTPOrIncompleteURIsHaveNoForm() {
        for uri in ["", "/oauth/token", "baton.example/oauth/token", "https:/baton.example/", "https://",
                    "https://:443/", "https://user:pw@baton.example/", "ftp://baton.example/", "urn:x://y",
                    "https://baton.example:65536/", "https://baton.example:x/", "https://baton.example:1234567/",
                    "http://[::1/", "http://[::1]x/", "https://baton.example/%4", "https://baton.example/%G0"] {
            #expect(DPoPTargetURI.normalized(uri) == nil, "\(uri)")
        }
    }
}
