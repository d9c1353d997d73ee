/// A JSON object body read strictly: parsed by `JSONValue.parse`, only the allowed member names,
/// each member read with the type the caller expects. Every refusal is `invalid_request` with a
/// hint that names the member.
///
/// ```swift
/// let body = try JSONObjectReader(bytes, allowed: ["client_id", "public", "grace_seconds"])
/// let clientID = try body.string("client_id")                    // nil when absent
/// let grace = try body.integer("grace_seconds", in: 0...3_600)
/// ```
///
/// An accessor returns nil only when the member is absent: an explicit `null` is a wrong type like
/// any other (`'NAME' must be a string`). `has` and `value` see a `null` member as present.
public struct JSONObjectReader: Sendable {
    private let members: [String: JSONValue]

    /// Parses `bytes`, which must be a JSON object (`the body must be a JSON object`) whose member
    /// names are all in `allowed`, byte for byte (`unknown member 'NAME'`, the first in body order).
    public init(_ bytes: some Collection<UInt8>, allowed: Set<String>) throws {
        guard case .object(let members) = try JSONValue.parse(bytes) else {
            throw BatonError(.invalidRequest, hint: "the body must be a JSON object")
        }
        if let unknown = members.first(where: { !Self.isAllowed($0.name, in: allowed) }) {
            throw BatonError(.invalidRequest, hint: "unknown member '\(JSONValue.printable(unknown.name))'")
        }
        // Parsing refused repeated names (by String equality, as Dictionary keys compare).
        self.members = Dictionary(uniqueKeysWithValues: members.map { ($0.name, $0.value) })
    }

    /// The string member `name`, or nil when absent (`'NAME' must be a string`).
    public func string(_ name: String) throws -> String? {
        guard let value = members[name] else { return nil }
        guard case .string(let text) = value else { throw Self.invalid(name, "must be a string") }
        return text
    }

    /// The boolean member `name`, or nil when absent (`'NAME' must be true or false`).
    public func bool(_ name: String) throws -> Bool? {
        guard let value = members[name] else { return nil }
        guard case .bool(let flag) = value else { throw Self.invalid(name, "must be true or false") }
        return flag
    }

    /// The whole-number member `name` within `range`, or nil when absent; a fraction or exponent
    /// (`1.0`, `1e3`) or a number outside `range` or Int64 is refused
    /// (`'NAME' must be a whole number from LOW to HIGH`).
    public func integer(_ name: String, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let value = members[name] else { return nil }
        guard case .number(let text) = value, let number = Int64(text), range.contains(number) else {
            throw Self.invalid(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// The array-of-strings member `name`, or nil when absent (`'NAME' must be an array of strings`).
    public func strings(_ name: String) throws -> [String]? {
        guard let value = members[name] else { return nil }
        let wrongType = Self.invalid(name, "must be an array of strings")
        guard case .array(let elements) = value else { throw wrongType }
        return try elements.map { element in
            guard case .string(let text) = element else { throw wrongType }
            return text
        }
    }

    /// The member `name` as parsed (`.null` for an explicit null), or nil when absent.
    public func value(_ name: String) -> JSONValue? {
        members[name]
    }

    /// Whether the body has a member `name` (an explicit null included).
    public func has(_ name: String) -> Bool {
        members[name] != nil
    }

    /// Whether `name` is in `allowed` with the very same bytes: a canonically equivalent spelling
    /// (KELVIN SIGN for `K`), which Set lookup alone would match, is unknown.
    private static func isAllowed(_ name: String, in allowed: Set<String>) -> Bool {
        guard let index = allowed.firstIndex(of: name) else { return false }
        return allowed[index].utf8.elementsEqual(name.utf8)
    }

    private static func invalid(_ name: String, _ problem: String) -> BatonError {
        BatonError(.invalidRequest, hint: "'\(JSONValue.printable(name))' \(problem)")
    }
}
