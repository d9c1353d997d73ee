import ArgumentParser
import BatonAuth
import BatonServer
import Foundation

/// `baton sessions list|revoke`: a user's sessions, for operators.
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List or revoke a user's sessions.",
        subcommands: [List.self, Revoke.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a user's live sessions.")

        @OptionGroup var store: StoreOptions

        @Argument(help: "The subject (user id).")
        var subject: String

        func run() async throws {
            let secret = try store.requiredMasterSecret(for: "finding a user's sessions")
            let sessions = try await store.withRedis { redis in
                try await BatonApplication.adminService(redis: redis, masterSecret: secret).sessions(of: subject)
            }
            for session in sessions {
                let created = Date(timeIntervalSince1970: Double(session.createdAt) / 1000)
                print("\(session.session)\t\(session.clientID)\tcreated \(created)\trefreshes \(session.generation)\tscope \(session.scope)")
            }
            if sessions.isEmpty { print("no live sessions for \(subject)") }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke one session, or all of a user's (log out everywhere).")

        @OptionGroup var store: StoreOptions

        @Argument(help: "The subject (user id).")
        var subject: String

        @Argument(help: "The session id to revoke (omit with --all).")
        var sessionID: String?

        @Flag(help: "Revoke every session of the user.")
        var all = false

        func validate() throws {
            guard all != (sessionID != nil) else { throw ValidationError("give a session id or --all, not both or neither") }
        }

        func run() async throws {
            let secret = try store.requiredMasterSecret(for: "finding a user's sessions")
            try await store.withRedis { redis in
                let admin = try BatonApplication.adminService(redis: redis, masterSecret: secret)
                if let sessionID {
                    let revoked = try await admin.revokeSession(sessionID, of: subject)
                    print(revoked ? "revoked \(sessionID)" : "no such live session")
                } else {
                    let count = try await admin.revokeAllSessions(of: subject)
                    print("logged \(subject) out everywhere (\(count) sessions ended)")
                }
            }
        }
    }
}
