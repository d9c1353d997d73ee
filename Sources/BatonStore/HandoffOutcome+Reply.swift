import BatonCore
import BatonRedis

extension HandoffOutcome {
    /// The handoff script's reply read back (`handoffScript` documents its shapes).
    init(reply: RedisValue) throws {
        guard let parts = reply.array, let label = parts.first?.string else { throw StoreError.unexpected("handoff script", reply) }
        if label == "delivered" {
            guard parts.count == 7, let subject = parts[1].string, let scope = parts[2].string, let authTime = parts[3].int,
                  let claims = parts[4].string, let expiresAt = parts[5].int
            else { throw StoreError.unexpected("handoff script", reply) }
            self.init(decision: .deliver, subject: subject, scope: scope, authTime: authTime, claims: claims,
                      expiresAt: expiresAt, dpopThumbprint: parts[6].string)
            return
        }
        guard parts.count == 1, let reason = HandoffDecision.Reason(rawValue: label) else {
            throw StoreError.unexpected("handoff script", reply)
        }
        self.init(decision: .reject(reason))
    }
}
