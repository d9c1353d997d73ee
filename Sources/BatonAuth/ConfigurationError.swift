/// A setting that makes the service unable to start, said plainly.
public struct ConfigurationError: Error, CustomStringConvertible {
    /// What is wrong and how to fix it.
    public let description: String

    /// Creates the error.
    public init(_ description: String) {
        self.description = description
    }
}
