import BatonLoad
import Dispatch
import Foundation

/// While it lives, SIGINT and SIGTERM end the run early but cleanly (summary, report, clients
/// removed); a second one ends the process at once.
final class SignalTrap {
    /// The stop request the signals make.
    let stop = StopRequest()
    private var sources: [any DispatchSourceSignal] = []

    /// Installs the handlers.
    init() {
        let stop = stop
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if stop.isRequested { exit(128 + number) }
                printError("\nbaton-load: stopping early (again to quit at once)")
                stop.request()
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
