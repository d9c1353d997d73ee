/// What one request does; latencies and counts are reported per operation.
public enum Operation: Int, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// `GET /healthz` (the overhead comparison).
    case healthz
    /// `POST /v1/sessions`: a login creates a session.
    case create
    /// `POST /oauth/token` with `grant_type=refresh_token`: a rotation.
    case refresh
    /// `POST /oauth/introspect` of the user's refresh token.
    case introspect
    /// `POST /oauth/revoke` of the user's refresh token (a logout).
    case revoke
    /// A stolen, already rotated refresh token presented again (theft scenario).
    case replay
    /// The legitimate user's current token after a replay: its family must be dead.
    case victimRefresh

    /// The name used in reports.
    public var description: String {
        switch self {
        case .healthz: "healthz"
        case .create: "create"
        case .refresh: "refresh"
        case .introspect: "introspect"
        case .revoke: "revoke"
        case .replay: "replay"
        case .victimRefresh: "victim_refresh"
        }
    }
}
