import BatonAuth
import BatonCore
import BatonTesting
import Testing

/// The in-memory store decides DPoP refreshes with `FamilyDecision` and remembers a proof's `jti`
/// as its effects say, for the window the proof gives (on the clock the calls pass).
@Suite struct InMemoryFamilyStoreTests {
    private let now: Int64 = 1_800_000_000_000
    private let jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"

    private func session() -> SessionID {
        SessionID(shard: Array("0a1b2c3d".utf8), familyID: (0..<SessionID.familyIDLength).map { _ in UInt8(ascii: "A") + UInt8.random(in: 0..<26) })
    }

    private func proof(_ jti: String, key: String? = nil) -> DPoPPresentation {
        DPoPPresentation(thumbprint: key ?? jkt, jwtIDDigest: jti, replayWindowMilliseconds: 60_000)
    }

    private func refresh(_ store: InMemoryFamilyStore, _ session: SessionID, _ generation: UInt64, _ proof: DPoPPresentation?,
                         at time: Int64) async throws -> FamilyDecision {
        try await store.refresh(session, presented: generation, clientID: "app", requestedScope: nil, proof: proof, now: time,
                                graceMilliseconds: 10_000, idleMilliseconds: 86_400_000).decision
    }

    @Test func boundFamiliesFollowTheDPoPRules() async throws {
        let store = InMemoryFamilyStore()
        let bound = session()
        _ = try await store.create(NewFamily(session: bound, clientID: "app", subject: "alice", scope: "read", authTime: 0,
                                             claims: "", expiresAt: now + 86_400_000, idleTimeoutMilliseconds: 86_400_000,
                                             dpopThumbprint: jkt), now: now)
        #expect(try await store.state(of: bound)?.dpopThumbprint == jkt)
        #expect(try await refresh(store, bound, 0, nil, at: now) == .reject(.dpopRequired))
        #expect(try await refresh(store, bound, 0, proof("a", key: "other"), at: now) == .reject(.dpopKeyMismatch))
        #expect(try await refresh(store, bound, 0, proof("a"), at: now) == .rotate(to: 1))  // "a" was not spent by the mismatch
        #expect(try await refresh(store, bound, 1, proof("a"), at: now + 1) == .reject(.dpopReplay))
        #expect(try await refresh(store, bound, 0, proof("b"), at: now + 2) == .grace(current: 1))
        #expect(store.generation(of: bound) == 1)
        // After the window the jti is forgotten.
        #expect(try await refresh(store, bound, 1, proof("a"), at: now + 60_001) == .rotate(to: 2))
    }
}
