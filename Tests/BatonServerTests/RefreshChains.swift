import BatonLocalServers
import Foundation
import Synchronization

/// Users refreshing their chains against worker processes while a test breaks the store: what
/// each request got, when the 503s began and ended, and whether every chain survived.
enum RefreshChains {
    /// What the users saw.
    final class Tally: Sendable {
        private let counts = Mutex<[String: Int]>([:])
        private let longest = Mutex<Duration>(.zero)
        private let unavailable = Mutex<(first: ContinuousClock.Instant, last: ContinuousClock.Instant)?>(nil)

        func add(_ outcome: String) {
            counts.withLock { $0[outcome, default: 0] += 1 }
            guard outcome == "503" else { return }
            let now = ContinuousClock.now
            unavailable.withLock { $0 = ($0?.first ?? now, now) }
        }

        func took(_ duration: Duration) { longest.withLock { $0 = max($0, duration) } }
        var all: [String: Int] { counts.withLock { $0 } }
        var slowest: Duration { longest.withLock { $0 } }
        subscript(_ outcome: String) -> Int { all[outcome] ?? 0 }

        /// From the first 503 to the last one (zero without any).
        var unavailableWindow: Duration { unavailable.withLock { $0.map { $0.last - $0.first } ?? .zero } }
    }

    /// The clients and one session per user, created before any fault is scheduled (on a loaded
    /// machine this can take longer than the time before the fault).
    static func sessions(_ cluster: BatonServeProcesses, users: Int) async throws -> [String] {
        let secret = try await cluster.standardClients()
        var tokens: [String] = []
        for user in 0..<users { tokens.append(try await cluster.createSession("user-\(user)", loginSecret: secret)) }
        return tokens
    }

    /// Users refresh their chains round-robin over the workers until `until`, each pausing `pause`
    /// after every answer (so that the load leaves the other suites some CPU); a 503 or a dropped
    /// connection is retried with the same token (safe: invariant 3). Returns each user's last token.
    static func load(_ cluster: BatonServeProcesses, tokens: [String], until: ContinuousClock.Instant, tally: Tally,
                     pause: Duration = .milliseconds(5)) async throws -> [String] {
        try await withThrowingTaskGroup(of: String.self) { group in
            for (user, first) in tokens.enumerated() {
                group.addTask {
                    var token = first
                    var turn = user
                    while ContinuousClock.now < until {
                        turn += 1
                        let started = ContinuousClock.now
                        do {
                            let response = try await cluster.refresh(token, on: turn % cluster.workers.count)
                            tally.took(ContinuousClock.now - started)
                            switch response.status {
                            case 200:
                                token = response.json["refresh_token"] as! String
                                tally.add("200")
                                try await Task.sleep(for: pause)
                            case 503:
                                tally.add("503")
                                try await Task.sleep(for: .milliseconds(20))
                            default:
                                tally.add("\(response.status) \(response.json["error"] as? String ?? "")")
                            }
                        } catch {
                            tally.add(ContinuousClock.now - started >= .seconds(5) ? "hang" : "connection error")
                        }
                    }
                    return token
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
    }

    /// How many chains no longer refresh (each tried once, on a worker in turn).
    static func chainsLost(_ cluster: BatonServeProcesses, _ tokens: [String]) async throws -> Int {
        var lost = 0
        for (index, token) in tokens.enumerated() {
            if try await cluster.refresh(token, on: index % cluster.workers.count).status != 200 { lost += 1 }
        }
        return lost
    }

    /// A metric's value summed over every worker (`series` is the name with its labels).
    static func metric(_ cluster: BatonServeProcesses, _ series: String) async throws -> Int {
        var total = 0.0
        for index in cluster.workers.indices {
            let metrics = try await cluster.admin(index, "GET", "/metrics").text
            total += metrics.split(separator: "\n").first { $0.hasPrefix(series + " ") }
                .flatMap { $0.split(separator: " ").last.flatMap { Double($0) } } ?? 0
        }
        return Int(total)
    }
}
