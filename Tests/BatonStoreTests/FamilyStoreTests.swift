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
            #expect(try await store.revoke(session, clientID: "other") == .wrongClient)
            #expect(try await store.state(of: session) != nil)
            #expect(try await store.revoke(session, clientID: "app") == .revoked)
            #expect(try await store.revoke(session, clientID: "app") == .unknown)
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
}

/// Runs `body` with a RedisFamilyStore on a fresh redis-server.
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
