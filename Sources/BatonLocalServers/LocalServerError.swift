/// Why a local server (redis-server, nginx, a baton process) or a step around it could not do its part.
public struct LocalServerError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    /// Creates the error.
    public init(_ description: String) {
        self.description = description
    }
}
