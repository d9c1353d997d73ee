import Foundation

/// A report that `--json FILE` writes.
public protocol JSONReport: Encodable {}

extension JSONReport {
    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
