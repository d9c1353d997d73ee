import BatonCore
import BatonRedis
import BatonLocalServers
import Testing
@testable import BatonStore

@Suite struct FamilyStoreTests {
    static let now: Int64 = 1_800_000_000_000
    static let day: Int64 = 86_400_000

    static func session(shard: String = "0a1b2c3d") -> SessionID {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        let familyID = (0..<SessionID.familyIDLength).map { _ in alphabet.randomElement()! }
        return SessionID(shard: Array(shard.utf8), familyID: familyID)
    }

    static func newFamily(_ session: SessionID, subject: String = "alice", client: String = "app") -> NewFamily {
        NewFamily(session: session, clientID: client, subject: subject, scope: "read write", authTime: now / 1000,
                  claims: "\"tenant\":\"acme\"", expiresAt: now + 90 * day, idleTimeoutMilliseconds: 14 * day)
    }

    private func refresh(_ store: RedisFamilyStore, _ session: SessionID, _ generation: UInt64, at time: Int64 = now,
                         client: String = "app", grace: Int64 = 10_000) async throws -> RefreshOutcome {
        try await store.refresh(session, presented: generation, clientID: client, requestedScope: nil, proof: nil, now: time,
                                graceMilliseconds: grace, idleMilliseconds: 14 * Self.day)
    }

    @Test func createThenRotateCarriesTheSessionsClaims() async throws {
        try await withStore { store, _ in
            let session = Self.session()
            let created = try await store.create(Self.newFamily(session), now: Self.now)
            #expect(created == Self.now)
            let outcome = try await refresh(store, session, 0)
            #expect(outcome.decision == .rotate(to: 1))
            #expect(outcome.subject == "alice")
            #expect(outcome.scope == "read write")
            #expect(outcome.claims == "\"tenant\":\"acme\"")
            #expect(outcome.authTime == Self.now / 1000)
            #expect(try await refresh(store, session, 1, at: Self.now + 1).decision == .rotate(to: 2))
        }
    }

    @Test func refreshExtendsTheIdleTimeoutButNeverPastTheAbsoluteEnd() async throws {
        try await withStore { store, redis in
            let session = Self.session()
            var family = Self.newFamily(session)
            family.expiresAt = Self.now + 5 * Self.day
            _ = try await store.create(family, now: Self.now)
            _ = try await refresh(store, session, 0, at: Self.now + Self.day)
            let ttl = try await redis.send("PTTL", KeySchema.family(session)).int ?? 0
            #expect(ttl > 4 * Self.day - 1_000 && ttl <= 4 * Self.day)
        }
    }

    @Test func reuseDeletesTheFamilyAndListingDropsItsIndexEntry() async throws {
        try await withStore { store, redis in
            let session = Self.session()
            _ = try await store.create(Self.newFamily(session), now: Self.now)
            _ = try await refresh(store, session, 0)
            _ = try await refresh(store, session, 1)
            #expect(try await refresh(store, session, 0, at: Self.now + 20_000).decision == .reuse(current: 2))
            #expect(try await redis.send("EXISTS", KeySchema.family(session)) == .integer(0))
            #expect(try await store.sessions(shard: session.shard, subject: "alice").isEmpty)
            #expect(try await refresh(store, session, 2).decision == .reject(.unknownFamily))
        }
    }

    @Test func stateIsTheSameSizeAfterOneOrAThousandRefreshes() async throws {
        try await withStore { store, redis in
            let session = Self.session()
            _ = try await store.create(Self.newFamily(session), now: Self.now)
            _ = try await refresh(store, session, 0)
            let afterOne = try await redis.send("MEMORY", "USAGE", KeySchema.family(session)).int
            for generation in 1...1_000 {
                _ = try await refresh(store, session, UInt64(generation), at: Self.now + Int64(generation))
            }
            let afterThousand = try await redis.send("MEMORY", "USAGE", KeySchema.family(session)).int
            #expect(afterOne != nil && afterOne == afterThousand)
            #expect(try await redis.send("DBSIZE") == .integer(2))
        }
    }

    @Test func logoutEverywhereEndsEveryFamilyOfThatUserOnly() async throws {
        try await withStore { store, _ in
            let alice = [Self.session(shard: "00000001"), Self.session(shard: "00000001")]
            let bob = Self.session(shard: "00000001")
            for session in alice { _ = try await store.create(Self.newFamily(session), now: Self.now) }
            _ = try await store.create(Self.newFamily(bob, subject: "bob"), now: Self.now)
            let ended = try await store.revokeUser(shard: Array("00000001".utf8), subject: "alice",
                                                    now: Self.now + 5, retentionMilliseconds: 90 * Self.day)
            #expect(ended == 2)
            for session in alice {
                #expect(try await refresh(store, session, 0, at: Self.now + 6).decision == .reject(.unknownFamily))
            }
            #expect(try await refresh(store, bob, 0, at: Self.now + 6).decision == .rotate(to: 1))
            // A session created in the very millisecond of the logout survives it.
            let fresh = Self.session(shard: "00000001")
            #expect(try await store.create(Self.newFamily(fresh), now: Self.now + 5) == Self.now + 6)
            #expect(try await refresh(store, fresh, 0, at: Self.now + 7).decision == .rotate(to: 1))
        }
    }

    @Test func revokeNeedsTheOwningClient() async throws {
        try await withStore { store, _ in
            let session = Self.session()
            _ = try await store.create(Self.newFamily(session), now: Self.now)
            #expect(try await store.revoke(session, clientID: "other", proof: .notRequired) == .wrongClient)
            #expect(try await store.state(of: session) != nil)
            #expect(try await store.revoke(session, clientID: "app", proof: .notRequired) == .revoked)
            #expect(try await store.revoke(session, clientID: "app", proof: .notRequired) == .unknown)
            #expect(try await store.state(of: session) == nil)
        }
    }

    @Test func listsLiveSessions() async throws {
        try await withStore { store, _ in
            let first = Self.session()
            let second = Self.session()
            _ = try await store.create(Self.newFamily(first), now: Self.now)
            _ = try await store.create(Self.newFamily(second), now: Self.now + 1)
            let sessions = try await store.sessions(shard: first.shard, subject: "alice")
            #expect(sessions.map(\.session) == [first, second])
            #expect(sessions.first?.scope == "read write")
        }
    }

    // DPoP (RFC 9449): the binding is stored for life and the jti is checked in the rotation script.

    static let jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
    static let window: Int64 = 120_000

    static func proof(_ jti: String, key: String = jkt, window: Int64 = window) -> DPoPPresentation {
        DPoPPresentation(thumbprint: key, jwtIDDigest: jti, replayWindowMilliseconds: window)
    }

    /// Creates `session` as a family bound to `jkt`, at `now`.
    private static func createBound(_ session: SessionID, in store: RedisFamilyStore) async throws {
        var family = newFamily(session)
        family.dpopThumbprint = jkt
        _ = try await store.create(family, now: now)
    }

    private func refresh(_ store: RedisFamilyStore, _ session: SessionID, _ generation: UInt64, proof: DPoPPresentation?,
                         at time: Int64 = now) async throws -> RefreshOutcome {
        try await store.refresh(session, presented: generation, clientID: "app", requestedScope: nil, proof: proof, now: time,
                                graceMilliseconds: 10_000, idleMilliseconds: 14 * Self.day)
    }

    @Test func aBindingIsStoredForLifeAndReturnedByStateAndSessions() async throws {
        try await withStore { store, redis in
            let bound = Self.session()
            try await Self.createBound(bound, in: store)
            let unbound = Self.session()
            _ = try await store.create(Self.newFamily(unbound), now: Self.now + 1)
            #expect(try await redis.send("HGET", KeySchema.family(bound), FamilyField.dpopThumbprint.rawValue) == .bulkString(Array(Self.jkt.utf8)))
            #expect(try await redis.send("HEXISTS", KeySchema.family(unbound), FamilyField.dpopThumbprint.rawValue) == .integer(0))
            #expect(try await store.state(of: bound)?.dpopThumbprint == Self.jkt)
            #expect(try await store.state(of: unbound)?.dpopThumbprint == nil)
            // Rotations keep it; a proof on an unbound family does not bind it.
            #expect(try await refresh(store, bound, 0, proof: Self.proof("a")).decision == .rotate(to: 1))
            #expect(try await refresh(store, unbound, 0, proof: Self.proof("b")).decision == .rotate(to: 1))
            #expect(try await store.state(of: bound)?.dpopThumbprint == Self.jkt)
            #expect(try await store.state(of: unbound)?.dpopThumbprint == nil)
            let sessions = try await store.sessions(shard: bound.shard, subject: "alice")
            #expect(sessions.map(\.session) == [bound, unbound])
            #expect(sessions.map(\.dpopThumbprint) == [Self.jkt, nil])
        }
    }

    @Test func refusedProofsChangeNothingAndATheftWithoutTheKeyRevokesNothing() async throws {
        try await withStore { store, redis in
            let session = Self.session()
            try await Self.createBound(session, in: store)
            _ = try await refresh(store, session, 0, proof: Self.proof("first"))
            _ = try await refresh(store, session, 1, proof: Self.proof("second"), at: Self.now + 1)
            let key = KeySchema.family(session)
            let later = Self.now + 60_000  // past the grace window: unbound, generation 0 would be reuse
            let attempts: [(UInt64, DPoPPresentation?, FamilyDecision.RejectReason)] = [
                (0, nil, .dpopRequired),                               // the thief's old token, no key
                (2, nil, .dpopRequired),                               // the current token, no key
                (0, Self.proof("thief", key: "thiefs-own-key"), .dpopKeyMismatch),
                (2, Self.proof("thief", key: "thiefs-own-key"), .dpopKeyMismatch),
                (2, Self.proof("second"), .dpopReplay),                // the owner's proof replayed
                (1, Self.proof("first"), .dpopReplay),
            ]
            for (generation, proof, reason) in attempts {
                let before = try await redis.send("HGETALL", key)
                let keysBefore = try await redis.send("DBSIZE")
                let ttlBefore = try await redis.send("PTTL", key).int ?? -3
                #expect(try await refresh(store, session, generation, proof: proof, at: later).decision == .reject(reason))
                #expect(try await redis.send("HGETALL", key) == before)
                #expect(try await redis.send("DBSIZE") == keysBefore)  // no jti remembered
                let ttlAfter = try await redis.send("PTTL", key).int ?? -3
                #expect(ttlAfter > 0 && ttlAfter <= ttlBefore)  // the idle timeout was not extended
            }
            #expect(try await store.state(of: session)?.generation == 2)
            // The key's holder goes on.
            #expect(try await refresh(store, session, 2, proof: Self.proof("third"), at: later).decision == .rotate(to: 3))
        }
    }

    @Test func aReplayedJTIIsRefusedByAnotherWorker() async throws {
        try await withStores(2) { stores, redis in
            let (first, second) = (stores[0], stores[1])
            let session = Self.session()
            try await Self.createBound(session, in: first)
            #expect(try await refresh(first, session, 0, proof: Self.proof("once")).decision == .rotate(to: 1))
            let before = try await redis.send("HGETALL", KeySchema.family(session))
            // The same proof sent again (another worker, the current token): refused, nothing changed.
            #expect(try await refresh(second, session, 1, proof: Self.proof("once"), at: Self.now + 1).decision == .reject(.dpopReplay))
            #expect(try await redis.send("HGETALL", KeySchema.family(session)) == before)
            // The same jti on an unbound family is refused too; on another family it is a new jti.
            let other = Self.session()
            _ = try await first.create(Self.newFamily(other), now: Self.now)
            #expect(try await refresh(second, other, 0, proof: Self.proof("once")).decision == .rotate(to: 1))
            #expect(try await refresh(first, other, 1, proof: Self.proof("once"), at: Self.now + 1).decision == .reject(.dpopReplay))
            #expect(try await refresh(second, session, 1, proof: Self.proof("fresh"), at: Self.now + 1).decision == .rotate(to: 2))
        }
    }

    @Test func aGraceRetryWithAFreshProofGetsTheSameSuccessor() async throws {
        try await withStores(2) { stores, _ in
            let session = Self.session()
            try await Self.createBound(session, in: stores[0])
            #expect(try await refresh(stores[0], session, 0, proof: Self.proof("try-1")).decision == .rotate(to: 1))
            // The response was lost; the app retries the same token with a new proof, on another worker.
            #expect(try await refresh(stores[1], session, 0, proof: Self.proof("try-2"), at: Self.now + 2_000).decision == .grace(current: 1))
            #expect(try await refresh(stores[1], session, 0, proof: Self.proof("try-1"), at: Self.now + 2_000).decision == .reject(.dpopReplay))
            #expect(try await stores[0].state(of: session)?.generation == 1)
        }
    }

    @Test func aJTIIsRememberedForItsWindowOnly() async throws {
        try await withStore { store, redis in
            let session = Self.session()
            try await Self.createBound(session, in: store)
            #expect(try await refresh(store, session, 0, proof: Self.proof("long")).decision == .rotate(to: 1))
            let jtiKey = KeySchema.dpopJWTID(digest: "long", of: session)
            let ttl = try await redis.send("PTTL", jtiKey).int ?? -3
            #expect(ttl > Self.window - 5_000 && ttl <= Self.window)

            // A short window (Redis' own clock): once the key is gone, the jti is accepted again.
            // 1.5 s: long enough to read its TTL on a loaded machine (150 ms was not, under make test).
            #expect(try await refresh(store, session, 1, proof: Self.proof("short", window: 1_500)).decision == .rotate(to: 2))
            let shortKey = KeySchema.dpopJWTID(digest: "short", of: session)
            let shortTTL = try await redis.send("PTTL", shortKey).int ?? -3
            #expect(shortTTL > 0 && shortTTL <= 1_500)
            let deadline = ContinuousClock.now + .seconds(10)
            while try await redis.send("EXISTS", shortKey) == .integer(1), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await redis.send("EXISTS", shortKey) == .integer(0))
            #expect(try await refresh(store, session, 2, proof: Self.proof("short", window: 1_500)).decision == .rotate(to: 3))
        }
    }
}

/// Runs `body` with a RedisFamilyStore on a fresh redis-server.
/// Writes a family's record as the model tests set it up, field by field (`FamilyField` order).
func writeFamily(_ fields: [FamilyField: String], at key: String, on redis: RedisClient) async throws {
    var write = RedisCommand("HSET", key)
    for field in FamilyField.allCases {
        guard let value = fields[field] else { continue }
        write.append(field.rawValue)
        write.append(value)
    }
    _ = try await redis.send(write)
}

func withStore(_ body: (RedisFamilyStore, RedisClient) async throws -> Void) async throws {
    let server = try await RedisServer.start()
    defer { server.stop() }
    let redis = RedisClient(configuration: try RedisConfiguration(url: server.url))
    try await redis.waitUntilConnected(timeout: .seconds(15))
    do {
        try await body(RedisFamilyStore(redis: redis), redis)
    } catch {
        await redis.shutdown()
        throw error
    }
    await redis.shutdown()
}

/// Runs `body` with `count` RedisFamilyStores, each on its own RedisClient (as separate workers
/// would be), on one fresh redis-server; the last argument is another client for inspection.
func withStores(_ count: Int, _ body: ([RedisFamilyStore], RedisClient) async throws -> Void) async throws {
    let server = try await RedisServer.start()
    defer { server.stop() }
    var clients: [RedisClient] = []
    do {
        for _ in 0...count {
            let client = RedisClient(configuration: try RedisConfiguration(url: server.url))
            clients.append(client)
            try await client.waitUntilConnected(timeout: .seconds(15))
        }
        try await body(clients.dropLast().map { RedisFamilyStore(redis: $0) }, clients[count])
    } catch {
        for client in clients { await client.shutdown() }
        throw error
    }
    for client in clients { await client.shutdown() }
}
