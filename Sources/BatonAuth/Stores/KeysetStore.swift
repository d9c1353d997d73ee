import BatonCore

/// Where the sealed signing keyset lives, with its version counter and the rotation lock.
public protocol KeysetStore: Sendable {
    /// Every record (records that do not decode are reported by key id, not thrown).
    func records() async throws -> (records: [SigningKeyRecord], undecodable: [String])
    /// Adds `record` only if the keyset is empty; returns whether it did.
    func addFirst(_ record: SigningKeyRecord) async throws -> Bool
    /// Applies a change if the version is still `expectedVersion`; the new version, or nil on a conflict.
    func apply(_ change: KeysetPlan.Change, expectedVersion: Int64) async throws -> Int64?
    /// Takes the scheduled-rotation lock for `milliseconds` if it is free.
    func acquireRotationLock(token: String, milliseconds: Int64) async throws -> Bool
    /// Releases the lock if `token` still holds it.
    func releaseRotationLock(token: String) async throws
    /// The version counter of the keyset and clients.
    func version() async throws -> Int64
}
