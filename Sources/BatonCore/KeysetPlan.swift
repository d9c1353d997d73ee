/// How the keyset changes on a rotation or a revocation: pure functions of the records and the
/// time, so every worker and every test agrees on what a change means.
public enum KeysetPlan {
    /// The changes to write: records to add or replace, key ids to delete.
    public struct Change: Sendable, Equatable {
        /// Records to write (new or changed).
        public var write: [SigningKeyRecord]
        /// Key ids to remove from the keyset.
        public var remove: [String]
    }

    /// Schedules `new` (published now, activating at `new.activatesAt`): every key that is not
    /// retired yet retires at that instant, so exactly one key is active at any time. Keys that
    /// retired (or were revoked) more than `retention` seconds ago are removed.
    public static func rotate(_ records: [SigningKeyRecord], adding new: SigningKeyRecord, now: Int64,
                              retention: Int64) -> Change {
        var change = Change(write: [new], remove: expired(records, now: now, retention: retention))
        for record in records where !change.remove.contains(record.keyID) && record.revokedAt == nil {
            if record.retiresAt == nil || record.retiresAt! > new.activatesAt {
                var retiring = record
                retiring.retiresAt = new.activatesAt
                change.write.append(retiring)
            }
        }
        return change
    }

    /// Revokes `keyID` at `now`. If it was the active key, the earliest key waiting to activate is
    /// promoted at once; if none waits, `replacement` (a new key active from `now`) takes over.
    /// Returns nil if there is no such key.
    public static func revoke(_ records: [SigningKeyRecord], keyID: String, now: Int64, retention: Int64,
                              replacement: () throws -> SigningKeyRecord) rethrows -> Change? {
        guard var revoked = records.first(where: { $0.keyID == keyID }) else { return nil }
        let wasActive = SigningKeyRecord.active(in: records, at: now)?.keyID == keyID
        revoked.revokedAt = now
        var change = Change(write: [revoked], remove: expired(records, now: now, retention: retention))
        guard wasActive else { return change }
        let waiting = records.filter { $0.keyID != keyID && $0.state(at: now) == .next }.min { $0.activatesAt < $1.activatesAt }
        if var promoted = waiting {
            promoted.activatesAt = now
            promoted.publishedAt = min(promoted.publishedAt, now)
            change.write.append(promoted)
        } else {
            change.write.append(try replacement())
        }
        return change
    }

    /// The keys that may go: retired or revoked more than `retention` seconds before `now`.
    public static func expired(_ records: [SigningKeyRecord], now: Int64, retention: Int64) -> [String] {
        records.filter { record in
            let end = record.revokedAt ?? record.retiresAt
            return end.map { $0 + retention <= now } ?? false
        }.map(\.keyID)
    }

    /// Whether a scheduled rotation is due: the newest key activated (or activates) `period` or
    /// more before `now + lead`.
    public static func rotationDue(_ records: [SigningKeyRecord], now: Int64, period: Int64, lead: Int64) -> Bool {
        guard let newest = records.filter({ $0.revokedAt == nil }).map(\.activatesAt).max() else { return true }
        return newest + period <= now + lead
    }
}
