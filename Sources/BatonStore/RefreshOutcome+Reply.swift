import BatonCore
import BatonRedis

extension RefreshOutcome {
    /// The rotation script's reply read back (`refreshScript` documents its shapes); the first
    /// element is a `RefreshOutcomeLabel`.
    init(reply: RedisValue) throws {
        guard let parts = reply.array, let text = parts.first?.string,
              let label = RefreshOutcomeLabel(rawValue: text) else { throw StoreError.unexpected("refresh script", reply) }
        func generation() throws -> UInt64 {
            guard parts.count > 1, let value = parts[1].int, value >= 0 else { throw StoreError.unexpected("refresh script", reply) }
            return UInt64(value)
        }
        switch label {
        case .rotated, .fastForward, .grace:
            guard parts.count == 7 else { throw StoreError.unexpected("refresh script", reply) }
            let value = try generation()
            let decision: FamilyDecision = label == .rotated ? .rotate(to: value)
                : label == .grace ? .grace(current: value) : .fastForward(to: value)
            self.init(decision: decision, subject: parts[2].string, scope: parts[3].string, authTime: parts[4].int,
                      claims: parts[5].string, expiresAt: parts[6].int)
        case .reuseDetected:
            self.init(decision: .reuse(current: try generation()), subject: parts.count > 2 ? parts[2].string : nil)
        case .unknownFamily, .wrongClient, .revoked, .expired, .scopeExceeded, .dpopRequired, .dpopKeyMismatch, .dpopReplay:
            guard parts.count == 1, let reason = FamilyDecision.RejectReason(rawValue: text) else {
                throw StoreError.unexpected("refresh script", reply)
            }
            self.init(decision: .reject(reason))
        case .invalid:
            throw StoreError.unexpected("refresh script", reply)
        }
    }
}
