/// Why a fixture (a server, a process, a setup step) could not do its part.
public struct FixtureError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
