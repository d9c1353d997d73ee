import NIOCore

/// Judges each kind of response by what Baton's invariants require (DESIGN §3), at the byte
/// level. Pure: the scenarios call it and keep the state.
public enum ResponseClassifier {
    static let refreshToken = JSONField("refresh_token")
    static let accessToken = JSONField("access_token")
    static let error = JSONField("error")
    static let active = JSONField("active")
    private static let invalidGrant: [UInt8] = Array(#""invalid_grant""#.utf8)
    private static let temporarilyUnavailable: [UInt8] = Array(#""temporarily_unavailable""#.utf8)
    private static let invalidDPoPProof: [UInt8] = Array(#""invalid_dpop_proof""#.utf8)
    private static let useDPoPNonce: [UInt8] = Array(#""use_dpop_nonce""#.utf8)
    private static let trueLiteral: [UInt8] = Array("true".utf8)

    /// A rotation of `presented`: 200 with a new refresh token (copied into `successor`) is a
    /// success; `invalid_grant` logs the user out by a fault (the harness never replays a token
    /// here); 200 without a token, or with the same token again, is a broken chain.
    public static func refresh(_ response: ParsedResponse, presented: [UInt8], successor: inout [UInt8]) -> Verdict {
        switch response.status {
        case 200:
            guard refreshToken.copyValue(in: response.body, into: &successor), successor != presented else {
                return .brokenChain
            }
            return .success
        case 400 where isInvalidGrant(response):
            return .loggedOutByFault
        default:
            return otherStatus(response)
        }
    }

    /// A session creation: 201 with a refresh token (copied into `token`).
    public static func create(_ response: ParsedResponse, token: inout [UInt8]) -> Verdict {
        guard response.status == 201 else { return otherStatus(response) }
        return refreshToken.copyValue(in: response.body, into: &token) ? .success : .brokenChain
    }

    /// Introspection of the user's current refresh token: it must be active.
    public static func introspect(_ response: ParsedResponse) -> Verdict {
        guard response.status == 200 else { return otherStatus(response) }
        return active.hasLiteral(trueLiteral, in: response.body) ? .success : .brokenChain
    }

    /// Revocation (RFC 7009): 200.
    public static func revoke(_ response: ParsedResponse) -> Verdict {
        response.status == 200 ? .success : otherStatus(response)
    }

    /// A replay of a rotated token, or the victim's token after one: it must be refused with
    /// `invalid_grant`; a 200 is a missed theft detection.
    public static func mustBeRefused(_ response: ParsedResponse) -> Verdict {
        switch response.status {
        case 400 where isInvalidGrant(response): .success
        case 200: .missedTheft
        default: otherStatus(response)
        }
    }

    /// A stolen DPoP-bound token presented without the family's key (no proof, or a proof of the
    /// thief's own key): it must be refused with `invalid_dpop_proof`, nothing changed (DESIGN.md
    /// §5b). A 200 is a missed theft; `invalid_grant` means the family was revoked.
    public static func mustBeRefusedWithoutKey(_ response: ParsedResponse) -> Verdict {
        switch response.status {
        case 400 where error.hasLiteral(invalidDPoPProof, in: response.body): .success
        case 400 where isInvalidGrant(response): .familyKilled
        case 200: .missedTheft
        default: otherStatus(response)
        }
    }

    /// The verdict of a status the operation never answers when all is well: 503
    /// `temporarily_unavailable` (the store away) is `.unavailable`; 400 `use_dpop_nonce` with a
    /// `DPoP-Nonce` (RFC 9449 §8) a `.nonceChallenge`; any other `.unexpectedStatus`.
    static func otherStatus(_ response: ParsedResponse) -> Verdict {
        switch response.status {
        case 503 where error.hasLiteral(temporarilyUnavailable, in: response.body): .unavailable
        case 400 where response.dpopNonce != nil && error.hasLiteral(useDPoPNonce, in: response.body): .nonceChallenge
        default: .unexpectedStatus
        }
    }

    /// Whether the body is an RFC 6749 §5.2 `invalid_grant` error.
    public static func isInvalidGrant(_ response: ParsedResponse) -> Bool {
        error.hasLiteral(invalidGrant, in: response.body)
    }
}
