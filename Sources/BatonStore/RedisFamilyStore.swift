import BatonCore
import BatonRedis

/// Refresh-token families in Redis: create, rotate (one EVALSHA), revoke, list. Holds no token
/// and no MAC: records carry the generation and metadata only.
///
/// ```swift
/// let store = RedisFamilyStore(redis: client)
/// let outcome = try await store.refresh(session, presented: 3, clientID: "app", requestedScope: nil, proof: nil,
///                                       now: now, graceMilliseconds: 10_000, idleMilliseconds: 1_209_600_000)
/// ```
public struct RedisFamilyStore: Sendable {
    private let redis: any RedisDeployment
    private let writes: ReplicatedWrites

    /// Creates the store on a Redis deployment; `writes` says whether its writes wait for replicas.
    public init(redis: any RedisDeployment, writes: ReplicatedWrites = .unacknowledged) {
        self.redis = redis
        self.writes = writes
    }

    /// Creates a family at generation 0; returns its creation time (ms).
    public func create(_ family: NewFamily, now: Int64) async throws -> Int64 {
        let reply = try await redis.storeOperation("create family") {
            try await writes.evaluate(
                createFamilyScript, on: redis,
                keys: [KeySchema.family(family.session), KeySchema.sessions(shard: family.session.shard, subject: family.subject),
                       KeySchema.revocations(shard: family.session.shard)],
                arguments: [
                    String(decoding: family.session.familyID, as: UTF8.self), String(now), family.clientID,
                    family.subject, family.scope, String(family.authTime), family.claims,
                    String(family.expiresAt), String(family.idleTimeoutMilliseconds), family.dpopThumbprint ?? "",
                    family.handoffDeadline.map { String($0) } ?? "",
                ])
        }
        guard let created = reply.int else { throw StoreError.unexpected("create family script", reply) }
        return created
    }

    /// Applies the decision table to a presented generation, atomically, in one round trip. A
    /// `requestedScope` beyond the session's is refused before anything is written. `proof` is the
    /// request's verified DPoP proof, if any: its key is compared with the family's binding and its
    /// `jti` checked and remembered in the same script.
    public func refresh(_ session: SessionID, presented: UInt64, clientID: String, requestedScope: Scope?,
                        proof: DPoPPresentation?, now: Int64,
                        graceMilliseconds: Int64, idleMilliseconds: Int64) async throws -> RefreshOutcome {
        var keys = [KeySchema.family(session), KeySchema.revocations(shard: session.shard)]
        var arguments = [
            String(presented), clientID, String(now), String(graceMilliseconds), String(idleMilliseconds),
            requestedScope?.description ?? "",
        ]
        if let proof {
            keys.append(KeySchema.dpopJWTID(digest: proof.jwtIDDigest, of: session))
            arguments += [proof.thumbprint, String(proof.replayWindowMilliseconds)]
        }
        let reply: RedisValue
        do {
            reply = try await writes.evaluate(refreshScript, on: redis, keys: keys, arguments: arguments)
        } catch let error as RedisError {
            throw StoreError(error, during: "refresh")
        }
        return try RefreshOutcome(reply: reply)
    }

    /// Exchanges a cookie-mode session's handoff code, atomically by `HandoffDecision.decide`, in one
    /// round trip: delivered once before its deadline; a second or late use revokes the family.
    /// `proofThumbprint` is the request's verified DPoP proof's key, compared with a bound family's.
    public func redeemHandoff(_ session: SessionID, clientID: String, proofThumbprint: String?, now: Int64,
                              idleMilliseconds: Int64) async throws -> HandoffOutcome {
        let reply = try await redis.storeOperation("redeem handoff") {
            try await writes.evaluate(handoffScript, on: redis,
                                      keys: [KeySchema.family(session), KeySchema.revocations(shard: session.shard)],
                                      arguments: [clientID, String(now), String(idleMilliseconds), proofThumbprint ?? ""])
        }
        return try HandoffOutcome(reply: reply)
    }

    /// Revokes a family, atomically by `RevocationResult.decide`: with a `clientID`, only a family of
    /// that client; a DPoP-bound family, when `proof` says the revoker must prove its key, only with
    /// a proof for that key.
    public func revoke(_ session: SessionID, clientID: String?, proof: RevocationProof) async throws -> RevocationResult {
        let arguments: [String]
        switch proof {
        case .notRequired: arguments = [clientID ?? "", "", ""]
        case .presented(let thumbprint): arguments = [clientID ?? "", "1", thumbprint ?? ""]
        }
        let reply = try await redis.storeOperation("revoke family") {
            try await writes.evaluate(revokeFamilyScript, on: redis, keys: [KeySchema.family(session)], arguments: arguments)
        }
        guard let text = reply.string, let result = RevocationResult(rawValue: text) else {
            throw StoreError.unexpected("revoke family script", reply)
        }
        return result
    }

    /// Logs `subject` out everywhere: every family created up to `now` is dead from now on.
    /// Returns how many indexed sessions that ended.
    @discardableResult
    public func revokeUser(shard: [UInt8], subject: String, now: Int64, retentionMilliseconds: Int64) async throws -> Int {
        let reply = try await redis.storeOperation("revoke user") {
            try await writes.evaluate(
                revokeUserScript, on: redis,
                keys: [KeySchema.sessions(shard: shard, subject: subject), KeySchema.revocations(shard: shard)],
                arguments: [subject, String(now), String(retentionMilliseconds)])
        }
        guard let families = reply.array else { throw StoreError.unexpected("revoke user script", reply) }
        // The families are dead already (the revocation time says so); free their memory now.
        for case .bulkString(let familyID) in families {
            let family = KeySchema.family(SessionID(shard: shard, familyID: familyID))
            _ = try? await redis.send(RedisCommand("DEL", family), key: family)
        }
        return families.count
    }

    /// The live state of a family, or nil if it is gone, revoked, or its user logged out everywhere.
    public func state(of session: SessionID) async throws -> FamilyState? {
        let reply = try await redis.storeOperation("family state") {
            try await redis.evaluate(familyStateScript,
                                     keys: [KeySchema.family(session), KeySchema.revocations(shard: session.shard)], arguments: [])
        }
        guard let fields = reply.array else { throw StoreError.unexpected("family state script", reply) }
        if fields.isEmpty { return nil }
        guard fields.count == 7, let generation = fields[0].int, let client = fields[1].string,
              let subject = fields[2].string, let scope = fields[3].string,
              let created = fields[4].int, let expires = fields[5].int, fields[6] == .null || fields[6].string != nil
        else { throw StoreError.unexpected("family state script", reply) }
        let thumbprint = fields[6].string  // nil: not DPoP-bound
        return FamilyState(session: session, generation: UInt64(generation), clientID: client, subject: subject,
                           scope: scope, createdAt: created, expiresAt: expires, dpopThumbprint: thumbprint)
    }

    /// The live sessions of a user; index entries of dead families are dropped on the way.
    public func sessions(shard: [UInt8], subject: String) async throws -> [FamilyState] {
        let indexKey = KeySchema.sessions(shard: shard, subject: subject)
        let index = try await redis.storeOperation("list sessions") { try await redis.send(RedisCommand("HKEYS", indexKey), key: indexKey) }
        var live: [FamilyState] = []
        for case .bulkString(let familyID) in index.array ?? [] {
            let session = SessionID(shard: shard, familyID: familyID)
            if let state = try await state(of: session), state.subject == subject {
                live.append(state)
            } else {
                _ = try await redis.storeOperation("prune session index") {
                    try await redis.send(RedisCommand("HDEL", indexKey, String(decoding: familyID, as: UTF8.self)), key: indexKey)
                }
            }
        }
        return live.sorted { $0.createdAt < $1.createdAt }
    }
}
