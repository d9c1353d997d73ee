import BatonAuth
import BatonCore
import Testing

/// DESIGN.md §3's refresh-family invariants, through `TokenService`, held by the in-memory store
/// (the pure rules) and by the Lua scripts on a real redis-server, a Redis Cluster and a
/// Sentinel-managed primary alike. Time moves by a manual clock: no test sleeps.
@Suite(.serialized, .sharedRedisDeployments) struct FamilyInvariantTests {
    static let noGrace = ClientPolicy(accessTokenTTL: 300, idleTimeout: 14 * 86_400, absoluteLifetime: 90 * 86_400, gracePeriod: 0)
    static let tenSecondGrace = ClientPolicy.standard

    @Test(arguments: StoreKind.allCases)
    func rotationReturnsANewTokenAndRetiresThePreviousOne(kind: StoreKind) async throws {
        try await AuthHarness.with(kind, policy: Self.noGrace) { auth in
            let first = try #require(try await auth.createSession().refreshToken)
            let second = try #require(try await auth.refresh(first).refreshToken)
            #expect(second != first)
            #expect(try await auth.refusal(first) == .invalidGrant)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func replayOutsideGraceRevokesTheFamilyAndTheThiefsNewerToken(kind: StoreKind) async throws {
        try await AuthHarness.with(kind, policy: Self.tenSecondGrace) { auth in
            let stolen = try #require(try await auth.createSession().refreshToken)
            let thiefs = try #require(try await auth.refresh(stolen).refreshToken)
            auth.clock.advance(byMilliseconds: 10_001)
            #expect(try await auth.refusal(stolen) == .invalidGrant)
            #expect(try await auth.refusal(thiefs) == .invalidGrant)
            #expect(try await auth.families.state(of: try auth.session(of: thiefs)) == nil)
            #expect(auth.logs.all.contains { $0.contains("baton.event=reuse_detected") })
        }
    }

    @Test(arguments: StoreKind.allCases)
    func reuseIsDetectedHoweverOldTheToken(kind: StoreKind) async throws {
        try await AuthHarness.with(kind, policy: Self.noGrace) { auth in
            let original = try #require(try await auth.createSession().refreshToken)
            var current = original
            for _ in 0..<50 {
                auth.clock.advance(byMilliseconds: 86_400_000)  // a day between refreshes
                current = try #require(try await auth.refresh(current).refreshToken)
            }
            #expect(try await auth.refusal(original) == .invalidGrant)
            #expect(try await auth.refusal(current) == .invalidGrant)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRetryWithinGraceGetsTheSameSuccessorAndOneJustPastItIsReuse(kind: StoreKind) async throws {
        try await AuthHarness.with(kind, policy: Self.tenSecondGrace) { auth in
            let token = try #require(try await auth.createSession().refreshToken)
            let first = try await auth.refresh(token)
            auth.clock.advance(byMilliseconds: 10_000)
            let retry = try await auth.refresh(token)  // the first response was lost, or a second tab
            #expect(retry.refreshToken == first.refreshToken)
            #expect(retry.accessToken != first.accessToken)
            auth.clock.advance(byMilliseconds: 1)
            #expect(try await auth.refusal(token) == .invalidGrant)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentRefreshesOfOneTokenShareOneSuccessor(kind: StoreKind) async throws {
        try await AuthHarness.with(kind, policy: Self.tenSecondGrace) { auth in
            let token = try #require(try await auth.createSession().refreshToken)
            let successors = try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
                for _ in 0..<20 { group.addTask { try await auth.refresh(token).refreshToken } }
                return try await group.reduce(into: Set<[UInt8]?>()) { $0.insert($1) }
            }
            #expect(successors.count == 1)
            let successor = try #require(successors.first ?? nil)
            #expect(try await auth.refresh(successor).refreshToken != nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func forgeriesAreRefusedBeforeTheStoreAndRevokeNothing(kind: StoreKind) async throws {
        try await AuthHarness.with(kind) { auth in
            let token = try #require(try await auth.createSession().refreshToken)
            let session = try auth.session(of: token)
            let before = try await auth.refreshesInStore()
            var parts = String(decoding: token, as: UTF8.self).split(separator: ".").map(String.init)
            parts[5] = String(parts[5].reversed())
            var olderGeneration = parts
            olderGeneration[4] = "7"
            for forged in [parts, olderGeneration].map({ Array($0.joined(separator: ".").utf8) }) + [Array("btr1.garbage".utf8)] {
                #expect(try await auth.refusal(forged) == .invalidGrant)
            }
            #expect(try await auth.refreshesInStore() == before)
            #expect(try await auth.families.state(of: session)?.generation == 0)
            #expect(try await auth.refresh(token).refreshToken != nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aFamilyIsBoundToItsClient(kind: StoreKind) async throws {
        try await AuthHarness.with(kind) { auth in
            let token = try #require(try await auth.createSession().refreshToken)
            #expect(try await auth.refusal(token, as: auth.other) == .invalidGrant)
            #expect(try await auth.refresh(token).refreshToken != nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theAbsoluteLifetimeEndsTheFamily(kind: StoreKind) async throws {
        let policy = ClientPolicy(accessTokenTTL: 300, idleTimeout: 86_400, absoluteLifetime: 86_400, gracePeriod: 10)
        try await AuthHarness.with(kind, policy: policy) { auth in
            var token = try #require(try await auth.createSession().refreshToken)
            auth.clock.advance(byMilliseconds: 86_399_000)
            token = try #require(try await auth.refresh(token).refreshToken)
            auth.clock.advance(byMilliseconds: 1_000)
            #expect(try await auth.refusal(token) == .invalidGrant)
            #expect(try await auth.families.state(of: try auth.session(of: token)) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func revokingATokenKillsItsFamilyAndUnknownTokensAreFine(kind: StoreKind) async throws {
        try await AuthHarness.with(kind) { auth in
            let token = try #require(try await auth.createSession().refreshToken)
            let revoke = { (text: String) in
                try await auth.service.revoke(client: auth.app, form: try FormBody(Array("token=\(text)".utf8)))
            }
            try await revoke(String(decoding: token, as: UTF8.self))
            #expect(try await auth.refusal(token) == .invalidGrant)
            try await revoke(String(decoding: token, as: UTF8.self))
            try await revoke("garbage")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func logoutEverywhereEndsEveryFamilyOfThatUserAndNoOther(kind: StoreKind) async throws {
        try await AuthHarness.with(kind) { auth in
            let alice = [try await auth.createSession("alice"), try await auth.createSession("alice")]
            let bob = try await auth.createSession("bob")
            let shard = try auth.codec.shard(for: "alice")
            auth.clock.advance(byMilliseconds: 1)
            #expect(try await auth.families.revokeUser(shard: shard, subject: "alice", now: auth.clock.milliseconds(),
                                                       retentionMilliseconds: 86_400_000) == 2)
            for session in alice { #expect(try await auth.refusal(try #require(session.refreshToken)) == .invalidGrant) }
            #expect(try await auth.refresh(try #require(bob.refreshToken)).refreshToken != nil)
            // A session created in the very millisecond of the logout outlives it.
            let again = try await auth.createSession("alice")
            #expect(try await auth.refresh(try #require(again.refreshToken)).refreshToken != nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aLostRotationFastForwardsInsteadOfLoggingOut(kind: StoreKind) async throws {
        try await AuthHarness.with(kind, policy: Self.noGrace) { auth in
            var token = try #require(try await auth.createSession().refreshToken)
            for _ in 0..<3 { token = try #require(try await auth.refresh(token).refreshToken) }
            let session = try auth.session(of: token)
            try await auth.loseRotations(session, backTo: 2)
            let next = try #require(try await auth.refresh(token).refreshToken)
            #expect(try await auth.families.state(of: session)?.generation == 4)
            #expect(try await auth.refresh(next).refreshToken != nil)
            #expect(auth.logs.all.contains { $0.contains("fast-forwarded") })
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aScopeBeyondTheSessionsIsRefusedWithoutCostingTheToken(kind: StoreKind) async throws {
        try await AuthHarness.with(kind) { auth in
            let token = try #require(try await auth.createSession(scope: "read").refreshToken)
            await #expect(throws: BatonError(.invalidScope, hint: "the requested scope exceeds the scope granted to the session")) {
                try await auth.refresh(token, scope: "read write")
            }
            #expect(try await auth.refresh(token, scope: "read").scope == "read")
        }
    }
}
