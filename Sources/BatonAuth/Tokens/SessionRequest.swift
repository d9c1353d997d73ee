import BatonCore

/// What a login backend sends to create a session: `{"sub": …, "client_id": …, "scope"?: …,
/// "auth_time"?: …, "claims"?: {…}, "dpop_jkt"?: …, "delivery"?: "json"|"cookie"}`, read strictly (unknown members, duplicates and wrong
/// types are refused by name).
public struct SessionRequest: Sendable {
    /// The authenticated subject.
    public var subject: String
    /// The client the session is for.
    public var clientID: String
    /// The requested scope (default: everything the client may hold).
    public var scope: String?
    /// When the subject authenticated (s since 1970; default: now).
    public var authTime: Int64?
    /// Extra access-token claims as JSON object members, sorted by name.
    public var extraMembers: [UInt8]
    /// `dpop_jkt`: the RFC 7638 SHA-256 thumbprint of the app's DPoP key (RFC 9449) the session is
    /// bound to for life; nil for an unbound session.
    public var dpopThumbprint: String?
    /// How the refresh token reaches its holder: in the JSON response (default), or, for a
    /// cookie-mode client, as a cookie set when the page exchanges a handoff code.
    public var delivery: Delivery

    /// How a session's refresh token is delivered.
    public enum Delivery: String, Sendable {
        /// In the response body, to the caller (the default).
        case json
        /// Only as a cookie: the response carries a single-use `handoff_code` for the page instead.
        case cookie
    }

    /// The longest `claims` accepted, as JSON members.
    static let claimsLimit = 4096

    /// Parses and checks a request body.
    public init(json bytes: [UInt8]) throws {
        let body = try JSONObjectReader(bytes, allowed: ["sub", "client_id", "scope", "auth_time", "claims", "dpop_jkt", "delivery"])
        guard let subject = try body.string("sub"), !subject.isEmpty else {
            throw BatonError(.invalidRequest, hint: "'sub' (the authenticated subject) is required")
        }
        guard subject.utf8.count <= 255, !subject.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw BatonError(.invalidRequest, hint: "'sub' must be at most 255 bytes without control characters")
        }
        guard let clientID = try body.string("client_id") else {
            throw BatonError(.invalidRequest, hint: "'client_id' (the client the session is for) is required")
        }
        self.subject = subject
        self.clientID = clientID
        scope = try body.string("scope")
        authTime = try body.integer("auth_time", in: 0...253_402_300_799)
        extraMembers = try Self.members(of: body.value("claims"))
        dpopThumbprint = try body.string("dpop_jkt")
        let delivery = try body.string("delivery") ?? Delivery.json.rawValue
        guard let delivery = Delivery(rawValue: delivery) else {
            throw BatonError(.invalidRequest, hint: "'delivery' must be 'json' or 'cookie'")
        }
        self.delivery = delivery
        if let dpopThumbprint {
            // A base64url SHA-256 without padding: 43 characters, the last one of the 16 that
            // carry 2 bits (RFC 7638 §3, RFC 9449 §10).
            guard dpopThumbprint.utf8.count == 43, dpopThumbprint.utf8.allSatisfy(Self.isBase64URL),
                  "AEIMQUYcgkosw048".utf8.contains(dpopThumbprint.utf8.last!)
            else {
                throw BatonError(.invalidRequest, hint: "'dpop_jkt' must be an RFC 7638 SHA-256 thumbprint: 43 base64url characters")
            }
        }
    }

    /// `A-Z a-z 0-9 - _`.
    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    /// Extra claims as JSON members, checked: an object, no reserved names, at most 4 KiB.
    private static func members(of claims: JSONValue?) throws -> [UInt8] {
        guard let claims else { return [] }
        guard case .object(let members) = claims else {
            throw BatonError(.invalidRequest, hint: "'claims' must be a JSON object")
        }
        var bytes: [UInt8] = []
        for (name, value) in members.sorted(by: { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }) {
            guard !AccessClaims.reservedNames.contains(name) else {
                throw BatonError(.invalidRequest, hint: "claim '\(FormBody.printable(name))' is set by Baton and cannot be given")
            }
            if !bytes.isEmpty { bytes.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(name.utf8, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            value.appendJSON(to: &bytes)
        }
        guard bytes.count <= claimsLimit else { throw BatonError(.invalidRequest, hint: "'claims' is larger than 4 KiB") }
        return bytes
    }
}
