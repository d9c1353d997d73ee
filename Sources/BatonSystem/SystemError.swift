/// A process Baton needs could not be started or kept running, said plainly (what, and how to fix it).
public struct SystemError: Error, Sendable, CustomStringConvertible {
    /// What went wrong and what to do.
    public let description: String

    /// Creates the error.
    public init(_ description: String) {
        self.description = description
    }
}
