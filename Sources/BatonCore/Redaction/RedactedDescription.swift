/// How a type that holds a secret (a token, a master secret, a key, a password) describes and
/// reflects itself: its name and the fields safe to show, never the secret. `String(describing:)`,
/// `String(reflecting:)`, string interpolation, `dump` and swift-service-lifecycle's debug lines
/// all go through these.
public protocol RedactedDescription: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The fields safe to show, in order; a secret field appears as `redacted(_:)` of its value.
    var publicFields: KeyValuePairs<String, Any> { get }
}

extension RedactedDescription {
    public var description: String {
        "\(Self.self)(" + publicFields.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: publicFields.map { (label: Optional($0.key), value: $0.value) }, displayStyle: .struct)
    }
}

/// What a secret field shows: whether it is set, never its value.
public func redacted(_ secret: (some Any)?) -> String {
    secret == nil ? "nil" : "<redacted>"
}
