import BatonAuth
import BatonCore
import Synchronization

/// Refresh-token families in memory, deciding with `FamilyDecision.decide`: the pure rules,
/// fast and without sleeps, for tests that hold the service to DESIGN.md §3. Lifetimes follow
/// the `now` each call passes (a family idle past its timeout is gone, as Redis' TTL would have it).
public final class InMemoryFamilyStore: FamilyStore {
    private struct Family {
        var record: FamilyRecord
        var subject: String
        var authTime: Int64
        var claims: String
        /// When the idle timeout ends it (ms), like the Redis key's TTL.
        var idleDeadline: Int64
    }

    /// A remembered DPoP `jti`: its family and the digest of the proof's `jti`.
    private struct ProofID: Hashable {
        var session: SessionID
        var jwtIDDigest: String
    }

    private struct State {
        var families: [SessionID: Family] = [:]
        /// Logout-everywhere times by shard and subject.
        var revocations: [[UInt8]: [String: Int64]] = [:]
        /// Session indexes by shard and subject: family ids.
        var indexes: [[UInt8]: [String: Set<[UInt8]>]] = [:]
        /// DPoP `jti`s remembered per family, with when they are forgotten (ms), like the Redis key's TTL.
        var proofs: [ProofID: Int64] = [:]
        var refreshCalls = 0
    }

    private let state = Mutex(State())

    /// An empty store.
    public init() {}

    /// How many refreshes reached the store (a forgery must not).
    public var refreshCalls: Int { state.withLock { $0.refreshCalls } }

    /// A failover that lost rotations: the family's generation goes back to `generation`.
    public func rollBack(_ session: SessionID, to generation: UInt64) {
        state.withLock { $0.families[session]?.record.generation = generation }
    }

    /// The family's current generation, if it exists.
    public func generation(of session: SessionID) -> UInt64? {
        state.withLock { $0.families[session]?.record.generation }
    }

    public func create(_ family: NewFamily, now: Int64) async throws -> Int64 {
        try state.withLock { state in
            guard state.families[family.session] == nil else { throw LocalStoreError("family id collision") }
            let revoked = state.revocations[family.session.shard]?[family.subject] ?? -1
            let created = max(now, revoked + 1)
            let record = FamilyRecord(generation: 0, rotatedAt: created, clientID: family.clientID, createdAt: created,
                                      expiresAt: family.expiresAt, scope: family.scope,
                                      dpopThumbprint: family.dpopThumbprint, handoffDeadline: family.handoffDeadline)
            var lifetime = min(family.idleTimeoutMilliseconds, family.expiresAt - now)
            if let handoff = family.handoffDeadline { lifetime = min(lifetime, handoff - now + 1) }
            state.families[family.session] = Family(
                record: record, subject: family.subject, authTime: family.authTime, claims: family.claims,
                idleDeadline: now + lifetime)
            state.indexes[family.session.shard, default: [:]][family.subject, default: []].insert(family.session.familyID)
            return created
        }
    }

    public func refresh(_ session: SessionID, presented: UInt64, clientID: String, requestedScope: Scope?,
                        proof: DPoPPresentation?, now: Int64,
                        graceMilliseconds: Int64, idleMilliseconds: Int64) async throws -> RefreshOutcome {
        state.withLock { state in
            state.refreshCalls += 1
            guard let family = state.families[session], now < family.idleDeadline else {
                state.families[session] = nil  // past its idle timeout, as Redis' TTL would have removed it
                return RefreshOutcome(decision: .reject(.unknownFamily))
            }
            let proofID = proof.map { ProofID(session: session, jwtIDDigest: $0.jwtIDDigest) }
            let proofSeen = proofID.flatMap { state.proofs[$0] }.map { now < $0 } ?? false
            let decision = FamilyDecision.decide(
                family: family.record, presented: presented, clientID: clientID, requestedScope: requestedScope,
                proof: proof, proofSeen: proofSeen,
                userRevokedAt: state.revocations[session.shard]?[family.subject], now: now,
                graceMilliseconds: graceMilliseconds)
            if let proof, let proofID, decision.effects(proofPresented: true).remembersProof {
                state.proofs[proofID] = now + proof.replayWindowMilliseconds
            }
            let granted = RefreshOutcome(decision: decision, subject: family.subject, scope: family.record.scope,
                                         authTime: family.authTime, claims: family.claims, expiresAt: family.record.expiresAt)
            switch decision {
            case .rotate(let next), .fastForward(let next):
                state.families[session]?.record.generation = next
                state.families[session]?.record.rotatedAt = now
                state.families[session]?.idleDeadline = now + min(idleMilliseconds, family.record.expiresAt - now)
                return granted
            case .grace:
                return granted
            case .reuse:
                state.families[session] = nil
                return RefreshOutcome(decision: decision, subject: family.subject)
            case .reject(.userRevoked), .reject(.expired):
                state.families[session] = nil
                return RefreshOutcome(decision: decision)
            case .reject:
                return RefreshOutcome(decision: decision)
            }
        }
    }

    public func redeemHandoff(_ session: SessionID, clientID: String, proofThumbprint: String?, now: Int64,
                              idleMilliseconds: Int64) async throws -> HandoffOutcome {
        state.withLock { state in
            guard let family = state.families[session], now < family.idleDeadline else {
                state.families[session] = nil  // past its TTL, as Redis would have removed it
                return HandoffOutcome(decision: .reject(.unknownFamily))
            }
            let decision = HandoffDecision.decide(family: family.record, clientID: clientID, proofThumbprint: proofThumbprint,
                                                  userRevokedAt: state.revocations[session.shard]?[family.subject], now: now)
            switch decision {
            case .deliver:
                state.families[session]?.record.handoffDeadline = nil
                state.families[session]?.idleDeadline = now + min(idleMilliseconds, family.record.expiresAt - now)
                return HandoffOutcome(decision: decision, subject: family.subject, scope: family.record.scope,
                                      authTime: family.authTime, claims: family.claims, expiresAt: family.record.expiresAt,
                                      dpopThumbprint: family.record.dpopThumbprint)
            case .reject(let reason):
                if reason.revokesFamily { state.families[session] = nil }
                return HandoffOutcome(decision: decision)
            }
        }
    }

    public func revoke(_ session: SessionID, clientID: String?, proof: RevocationProof) async throws -> RevocationResult {
        state.withLock { state in
            let result = RevocationResult.decide(family: state.families[session]?.record, clientID: clientID, proof: proof)
            if result == .revoked { state.families[session] = nil }
            return result
        }
    }

    public func revokeUser(shard: [UInt8], subject: String, now: Int64, retentionMilliseconds: Int64) async throws -> Int {
        state.withLock { state in
            let previous = state.revocations[shard]?[subject] ?? -1
            state.revocations[shard, default: [:]][subject] = max(previous, now)
            let indexed = state.indexes[shard]?[subject] ?? []
            state.indexes[shard]?[subject] = nil
            for familyID in indexed { state.families[SessionID(shard: shard, familyID: familyID)] = nil }
            return indexed.count
        }
    }

    public func state(of session: SessionID) async throws -> FamilyState? {
        state.withLock { state in
            guard let family = state.families[session] else { return nil }
            if let revoked = state.revocations[session.shard]?[family.subject], family.record.createdAt <= revoked { return nil }
            return FamilyState(session: session, generation: family.record.generation, clientID: family.record.clientID,
                               subject: family.subject, scope: family.record.scope, createdAt: family.record.createdAt,
                               expiresAt: family.record.expiresAt, dpopThumbprint: family.record.dpopThumbprint)
        }
    }

    public func sessions(shard: [UInt8], subject: String) async throws -> [FamilyState] {
        var live: [FamilyState] = []
        for familyID in state.withLock({ $0.indexes[shard]?[subject] ?? [] }) {
            let session = SessionID(shard: shard, familyID: familyID)
            if let found = try await state(of: session), found.subject == subject {
                live.append(found)
            } else {
                state.withLock { _ = $0.indexes[shard]?[subject]?.remove(familyID) }
            }
        }
        return live.sorted { $0.createdAt < $1.createdAt }
    }
}

/// A store rule the in-memory stores enforce, as Redis would refuse it.
public struct LocalStoreError: Error, CustomStringConvertible {
    /// What was refused.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
