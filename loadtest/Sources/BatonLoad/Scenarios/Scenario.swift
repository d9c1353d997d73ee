/// What a run plays against Baton.
public enum Scenario: String, Sendable, CaseIterable, Codable {
    /// `GET /healthz` only: the harness's own overhead (compared with wrk by `overhead`).
    case healthz
    /// Every user rotates its own refresh-token chain as fast as it can (or at the open-loop rate).
    case refresh
    /// Logins, refreshes, introspections and logouts in configurable ratios.
    case mixed
    /// Many concurrent refreshes of one token: all must get the same successor.
    case storm
    /// Rotated tokens replayed: each replay must be refused and revoke its family. With DPoP, stolen
    /// tokens presented without the key: refused, and the family left alive.
    case theft
    /// Refreshes while signing keys rotate; every access token verified against the JWKS.
    case rotation

    /// One line for `--help` and reports.
    public var summary: String {
        switch self {
        case .healthz: "GET /healthz, no users: the harness's own overhead"
        case .refresh: "each user rotates its own refresh-token chain"
        case .mixed: "session create, refresh, introspect and revoke in ratios (--mix)"
        case .storm: "--storm-size concurrent refreshes of one token: one successor for all"
        case .theft: "replays of rotated tokens must be refused and kill the family (--dpop: refused, family alive)"
        case .rotation: "refreshes while keys rotate (--rotate-every); access tokens verified against the JWKS"
        }
    }

    /// Whether the scenario creates clients and sessions (and so needs the admin token).
    public var needsUsers: Bool { self != .healthz }
}
