import ArgumentParser

/// `baton`: serve tokens, and manage clients and sessions from the command line.
@main
struct Baton: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton",
        abstract: "A clustered session-token service: JWT access tokens, rotating refresh tokens, Redis.",
        subcommands: [ServeCommand.self, ClusterCommand.self, ClientsCommand.self, SessionsCommand.self, KeysCommand.self]
    )
}
