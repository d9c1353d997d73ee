import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// `baton cluster`: keeps N worker processes running, restarting one that dies (with backoff),
/// and on graceful shutdown forwards SIGTERM to all and waits for them to drain.
public final class WorkerSupervisor: Service, Sendable {
    private struct Slot {
        var process: ChildProcess?
        var startedAt = ContinuousClock.now
        var startAt: ContinuousClock.Instant? = .now
        var backoff = Duration.milliseconds(100)
    }

    private let executable: String
    private let arguments: @Sendable (Int) -> [String]
    private let environment: [String: String]
    private let count: Int
    private let logDirectory: String?
    private let logger: Logger
    private let slots: Mutex<[Slot]>
    private let stopping = Atomic<Bool>(false)

    /// Creates a supervisor of `count` workers; `arguments(i)` are worker `i`'s arguments.
    public init(executable: String, count: Int, environment: [String: String], logDirectory: String? = nil,
                logger: Logger, arguments: @escaping @Sendable (Int) -> [String]) {
        self.executable = executable
        self.count = count
        self.environment = environment
        self.logDirectory = logDirectory
        self.logger = logger
        self.arguments = arguments
        slots = Mutex(Array(repeating: Slot(), count: count))
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !stopping.load(ordering: .relaxed) {
                superviseOnce()
                try? await Task.sleep(for: .milliseconds(50))
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
        }
        await drain()
    }

    private func superviseOnce() {
        let now = ContinuousClock.now
        slots.withLock { slots in
            for index in slots.indices {
                if let process = slots[index].process {
                    guard !process.isRunning else { continue }
                    let ranFor = now - slots[index].startedAt
                    // A worker that ran a while before dying starts over with a short backoff.
                    slots[index].backoff = ranFor > .seconds(10) ? .milliseconds(100) : min(slots[index].backoff * 2, .seconds(5))
                    slots[index].process = nil
                    slots[index].startAt = now + slots[index].backoff
                    logger.error("worker exited; restarting", metadata: [
                        "baton.worker": "\(index)", "pid": "\(process.pid)", "baton.restart_in": "\(slots[index].backoff)",
                    ])
                    continue
                }
                guard let startAt = slots[index].startAt, startAt <= now else { continue }
                do {
                    let output = logDirectory.map { "\($0)/worker-\(index).log" }
                    let process = try ChildProcess.spawn(executable, arguments(index), environment: environment, outputPath: output)
                    slots[index].process = process
                    slots[index].startedAt = now
                    slots[index].startAt = nil
                    logger.info("worker started", metadata: ["baton.worker": "\(index)", "pid": "\(process.pid)"])
                } catch {
                    slots[index].startAt = now + .seconds(1)
                    logger.error("cannot start a worker", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// SIGTERM to every worker; SIGKILL to any still running after 30 s.
    private func drain() async {
        let processes = slots.withLock { $0.compactMap(\.process) }
        logger.info("draining workers", metadata: ["baton.workers": "\(processes.count)"])
        for process in processes { process.signal(SIGTERM) }
        let deadline = ContinuousClock.now + .seconds(30)
        while processes.contains(where: \.isRunning), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for process in processes where process.isRunning {
            logger.warning("worker did not drain in 30 s; killing it", metadata: ["pid": "\(process.pid)"])
            process.signal(SIGKILL)
            await process.waitForExit()
        }
    }
}

extension WorkerSupervisor: CustomStringConvertible {
    /// What it runs and how many; not the workers' environment, which carries their secrets.
    public var description: String { "WorkerSupervisor(executable: \(executable), count: \(count))" }
}
