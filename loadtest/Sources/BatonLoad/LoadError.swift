/// Why a load run could not start or be set up. Correctness failures are not errors: they are
/// counted in the report.
public enum LoadError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The command line asks for something impossible or unsupported.
    case usage(String)
    /// The targets, the admin API or session creation did not work as the harness needs.
    case setup(String)

    /// The message, safe to print (never a token or secret).
    public var description: String {
        switch self {
        case .usage(let message): message
        case .setup(let message): "setup failed: \(message)"
        }
    }
}
