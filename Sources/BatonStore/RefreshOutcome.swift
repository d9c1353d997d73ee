import BatonCore
import BatonRedis

/// What the rotation script decided, with what the new access token needs.
public struct RefreshOutcome: Sendable, Equatable {
    /// The decision (the same table as `FamilyDecision.decide`).
    public var decision: FamilyDecision
    /// The session's subject, when the family was found.
    public var subject: String?
    /// The session's scope, space-delimited (for rotate, fast-forward and grace).
    public var scope: String?
    /// When the subject authenticated (s), for `auth_time`.
    public var authTime: Int64?
    /// Extra claims as JSON object members, or empty.
    public var claims: String?
    /// The session's absolute end (ms).
    public var expiresAt: Int64?

    init(reply: RedisValue) throws {
        guard let parts = reply.array, let kind = parts.first?.string else {
            throw RedisError(.unexpectedReply, "refresh script answered \(reply)")
        }
        func generation() throws -> UInt64 {
            guard parts.count > 1, let value = parts[1].int, value >= 0 else {
                throw RedisError(.unexpectedReply, "refresh script answered \(reply)")
            }
            return UInt64(value)
        }
        switch kind {
        case "rotate", "fast_forward", "grace":
            guard parts.count == 7 else { throw RedisError(.unexpectedReply, "refresh script answered \(reply)") }
            let value = try generation()
            decision = kind == "rotate" ? .rotate(to: value) : kind == "grace" ? .grace(current: value) : .fastForward(to: value)
            subject = parts[2].string
            scope = parts[3].string
            authTime = parts[4].int
            claims = parts[5].string
            expiresAt = parts[6].int
        case "reuse":
            decision = .reuse(current: try generation())
            subject = parts.count > 2 ? parts[2].string : nil
        case "reject":
            guard parts.count == 2, let text = parts[1].string, let reason = FamilyDecision.RejectReason(rawValue: text) else {
                throw RedisError(.unexpectedReply, "refresh script answered \(reply)")
            }
            decision = .reject(reason)
        default:
            throw RedisError(.unexpectedReply, "refresh script answered \(reply)")
        }
    }
}
