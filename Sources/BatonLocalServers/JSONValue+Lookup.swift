import BatonCore

extension JSONValue {
    /// The member named `name` of an object; nil when there is none or this is not an object.
    public subscript(member name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.name == name }?.value
    }

    /// The text of a string; nil for any other kind of value.
    public var stringValue: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    /// A boolean; nil for any other kind of value.
    public var boolValue: Bool? {
        guard case .bool(let value) = self else { return nil }
        return value
    }

    /// A number written as an integer (or with a zero fraction, as JavaScript may send one); nil otherwise.
    public var intValue: Int? {
        guard case .number(let text) = self, let value = Double(text), value == value.rounded() else { return nil }
        return Int(exactly: value)
    }

    /// The elements of an array; nil for any other kind of value.
    public var arrayValue: [JSONValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    /// The value as compact JSON text.
    public var jsonText: String {
        var bytes: [UInt8] = []
        appendJSON(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
