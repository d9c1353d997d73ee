import BatonAuth
import BatonCore
import Synchronization

/// The signing keyset in memory, with its version counter and rotation lock.
public final class InMemoryKeysetStore: KeysetStore {
    private struct State {
        var records: [String: SigningKeyRecord] = [:]
        var version: Int64 = 0
        var lock: String?
    }

    private let state = Mutex(State())

    /// An empty keyset.
    public init() {}

    public func records() async throws -> (records: [SigningKeyRecord], undecodable: [String]) {
        (state.withLock { Array($0.records.values) }, [])
    }

    public func addFirst(_ record: SigningKeyRecord) async throws -> Bool {
        state.withLock { state in
            guard state.records.isEmpty else { return false }
            state.records[record.keyID] = record
            state.version += 1
            return true
        }
    }

    public func apply(_ change: KeysetPlan.Change, expectedVersion: Int64) async throws -> Int64? {
        state.withLock { state in
            guard state.version == expectedVersion else { return nil }
            for keyID in change.remove { state.records[keyID] = nil }
            for record in change.write { state.records[record.keyID] = record }
            state.version += 1
            return state.version
        }
    }

    public func acquireRotationLock(token: String, milliseconds: Int64) async throws -> Bool {
        state.withLock { state in
            guard state.lock == nil else { return false }
            state.lock = token
            return true
        }
    }

    public func releaseRotationLock(token: String) async throws {
        state.withLock { state in
            if state.lock == token { state.lock = nil }
        }
    }

    public func version() async throws -> Int64 { state.withLock { $0.version } }
}
