/// An OAuth scope: a set of space-delimited tokens (RFC 6749 §3.3).
public struct Scope: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The scope tokens, in their original order, without duplicates.
    public let tokens: [String]

    /// Parses a scope string; throws `invalid_scope` for characters RFC 6749 §3.3 does not allow.
    public init(parsing text: String) throws {
        var seen = Set<String>()
        var tokens: [String] = []
        for token in text.split(separator: " ") {
            guard token.utf8.allSatisfy({ $0 == 0x21 || (0x23...0x5B).contains($0) || (0x5D...0x7E).contains($0) }) else {
                throw BatonError(.invalidScope, hint: "scope contains a character RFC 6749 §3.3 does not allow")
            }
            if seen.insert(String(token)).inserted { tokens.append(String(token)) }
        }
        guard tokens.joined(separator: " ").utf8.count <= 1024 else {
            throw BatonError(.invalidScope, hint: "scope is longer than 1024 bytes")
        }
        self.tokens = tokens
    }

    /// Whether every token of `self` is also in `other`.
    public func isSubset(of other: Scope) -> Bool {
        Set(tokens).isSubset(of: Set(other.tokens))
    }

    /// Whether there are no tokens.
    public var isEmpty: Bool { tokens.isEmpty }

    /// The scope as a space-delimited string.
    public var description: String { tokens.joined(separator: " ") }
}
