import ArgumentParser
import Dispatch

/// `baton`: serve tokens, and manage clients and sessions from the command line.
struct Baton: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton",
        abstract: "A clustered session-token service: JWT access tokens, rotating refresh tokens, Redis.",
        subcommands: [ServeCommand.self, ClusterCommand.self, ClientsCommand.self, SessionsCommand.self, KeysCommand.self]
    )
}

/// The entry point: runs the command on Swift's global executor while the main thread waits for it.
///
/// Swift's async `main` ends the main thread in `dispatch_main` (`pthread_exit`, then a signal
/// thread in a thread-specific-data destructor), which valgrind 3.19 cannot run; waiting here
/// instead lets `make bench-instructions` count a worker's instructions with callgrind. Nothing
/// in Baton runs on the main actor.
@main
enum BatonMain {
    static func main() {
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            await Baton.main()
            done.signal()
        }
        done.wait()
    }
}
