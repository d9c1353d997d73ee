import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Runs one scenario: checks the targets, creates the run's clients, spreads connections and
/// users over event loops, creates the sessions, measures, stops by itself, removes the clients
/// and returns the report.
///
/// ```swift
/// let report = try await LoadRunner(configuration: configuration).run()
/// print(report.summary())
/// ```
public struct LoadRunner: Sendable {
    /// The run's settings.
    public let configuration: RunConfiguration
    private let progress: ProgressLine?
    private let stopRequest: StopRequest?

    /// A runner for `configuration`; `progress` prints a line a second (stderr on a terminal);
    /// `stopRequest` can end the measured phase early.
    public init(configuration: RunConfiguration, progress: ProgressLine? = nil, stopRequest: StopRequest? = nil) {
        self.configuration = configuration
        self.progress = progress
        self.stopRequest = stopRequest
    }

    /// Runs the scenario. Throws `LoadError` when the run cannot be set up; correctness failures
    /// are in the report (`passed == false`).
    public func run() async throws -> RunReport {
        try configuration.validate()
        for target in configuration.targets { try await Self.checkHealth(target) }
        let admin = configuration.adminToken.map { AdminClient(target: configuration.targets[0], token: $0) }
        var clients: RunClients?
        if configuration.scenario.needsUsers, let admin {
            clients = try await RunClients.create(admin, configuration: configuration)
        }
        let plans = LoopPlan.plans(for: configuration)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: plans.count)
        let result: Result<RunReport, any Error>
        do {
            try await Self.schedule(group, configuration.scheduling)
            let dpop = configuration.dpop ? try await DPoPEndpoints.fetch(from: configuration.targets[0]) : nil
            result = .success(try await measure(plans: plans, group: group, clients: clients, admin: admin, dpop: dpop))
        } catch {
            result = .failure(error)
        }
        try? await group.shutdownGracefully()
        if let clients, let admin, !configuration.keepClients {
            try? await clients.remove(admin)
        }
        return try result.get()
    }

    private static func schedule(_ group: MultiThreadedEventLoopGroup, _ scheduling: ThreadScheduling) async throws {
        for eventLoop in group.makeIterator() {
            try await eventLoop.submit { try scheduling.applyToCurrentThread() }.get()
        }
    }

    private static func checkHealth(_ target: LoadTarget) async throws {
        let response = try await HTTPExchange.send(HTTPRequestWriter.request("GET", target: target, path: "/healthz"),
                                                   to: target, timeout: .seconds(5))
        guard response.status == 200 else {
            throw LoadError.setup("\(target)/healthz answered \(response.status), not 200")
        }
    }

    private func measure(plans: [LoopPlan], group: MultiThreadedEventLoopGroup, clients: RunClients?,
                         admin: AdminClient?, dpop: DPoPEndpoints?) async throws -> RunReport {
        let engines = try await makeEngines(plans: plans, group: group, clients: clients, dpop: dpop)
        let loop = group.any()
        try await setUp(engines, on: loop)
        let startedAt = Date()
        let start = MonotonicClock.now() + 10_000_000
        let finished = EventLoopFuture.andAllComplete(engines.map { engine in engine.eventLoop.flatSubmit { engine.value.finishedFuture } },
                                                      on: loop)
        let finishedAt = FinishTime()
        finished.whenComplete { _ in finishedAt.record() }
        Self.start(engines, plans: plans, at: start, rate: configuration.rate)
        let rotation = configuration.scenario == .rotation
            ? admin.map { admin in Task { [configuration] in await KeyRotator(admin: admin, configuration: configuration).run() } } : nil
        var (timeline, stopped) = try await watch(engines, from: start, finishedAt: finishedAt)
        try await windDown(engines, finished: finished, on: loop)
        rotation?.cancel()
        let rotations = await rotation?.value
        progress?.clear()
        timeline.add(try await Self.collect(engines), at: stopped, partial: true)
        let totals = try await EventLoopFuture.whenAllSucceed(engines.map { engine in
            engine.eventLoop.submit { engine.value.stats.totals(verificationProblem: engine.value.verifier?.lastProblem) }
        }, on: loop).get()
        return RunReport(configuration: configuration, plans: plans, totals: totals, timeline: timeline.points,
                         duration: Double(stopped &- start) / 1e9, rotations: rotations, startedAt: startedAt,
                         stoppedEarly: stopRequest?.isRequested == true)
    }

    /// Connects, creates the sessions and primes the JWKS caches, within a limit that grows with the users.
    private func setUp(_ engines: [NIOLoopBound<LoopEngine>], on loop: any EventLoop) async throws {
        let limit = TimeAmount.seconds(30) + .milliseconds(Int64(configuration.effectiveUsers * 2))
        let ready = EventLoopFuture.andAllSucceed(engines.map { engine in engine.eventLoop.flatSubmit { engine.value.setUp() } }, on: loop)
        try await Self.wait(ready, within: limit, on: loop,
                            or: LoadError.setup("the sessions were not all created within \(limit.nanoseconds / 1_000_000_000) s"))
    }

    /// Starts every engine's measured phase at `start`, so that no request goes out before the
    /// measured time begins (closed loops send at once when they start).
    private static func start(_ engines: [NIOLoopBound<LoopEngine>], plans: [LoopPlan], at start: UInt64, rate: Double?) {
        for (index, engine) in engines.enumerated() {
            let plan = plans[index]
            // Loops' schedules interleave: loop i starts i ticks of the whole rate later.
            let offset = rate.map { UInt64(Double(index) * 1e9 / $0) } ?? 0
            engine.eventLoop.scheduleTask(deadline: .uptimeNanoseconds(start)) {
                engine.value.start(schedule: plan.rate.map { OpenLoopSchedule(start: start + offset, rate: $0) }, quota: plan.quota)
            }
        }
    }

    /// Collects a timeline point a second (and shows progress) until the duration is over, the
    /// engines finished by themselves (`finishedAt` is set), or a stop was requested; returns the
    /// timeline and the stop time.
    private func watch(_ engines: [NIOLoopBound<LoopEngine>], from start: UInt64,
                       finishedAt: FinishTime) async throws -> (TimelineRecorder, UInt64) {
        var timeline = TimelineRecorder(start: start)
        let limit = start + configuration.duration.nanoseconds
        var nextTick = start + 1_000_000_000
        while finishedAt.value == nil, MonotonicClock.now() < limit, stopRequest?.isRequested != true {
            let now = MonotonicClock.now()
            if now >= nextTick {
                let interval = try await Self.collect(engines)
                timeline.add(interval, at: now)
                progress?.show(timeline.points[timeline.points.count - 1], total: timeline.total, correctness: interval.correctness)
                nextTick += 1_000_000_000
            }
            let wake = min(nextTick, limit)
            let current = MonotonicClock.now()
            try await Task.sleep(nanoseconds: wake > current ? min(wake - current, 100_000_000) : 1_000_000)
        }
        return (timeline, finishedAt.value ?? MonotonicClock.now())
    }

    /// Stops sending, lets in-flight requests finish within `--timeout` (then counts them lost)
    /// until `finished` (every engine finished), and settles the tokens still waiting for their kid.
    private func windDown(_ engines: [NIOLoopBound<LoopEngine>], finished: EventLoopFuture<Void>,
                          on loop: any EventLoop) async throws {
        for engine in engines { engine.eventLoop.execute { engine.value.stop() } }
        do {
            try await Self.wait(finished, within: TimeAmount(configuration.timeout), on: loop, or: LoadError.setup("drain"))
        } catch {
            for engine in engines { engine.eventLoop.execute { engine.value.abort() } }
        }
        let verified = EventLoopFuture.andAllComplete(engines.map { engine in
            engine.eventLoop.flatSubmit { engine.value.verifier?.finish() ?? engine.eventLoop.makeSucceededVoidFuture() }
        }, on: loop)
        try? await Self.wait(verified, within: .seconds(5), on: loop, or: LoadError.setup("verification"))
    }

    private func makeEngines(plans: [LoopPlan], group: MultiThreadedEventLoopGroup, clients: RunClients?,
                             dpop: DPoPEndpoints?) async throws -> [NIOLoopBound<LoopEngine>] {
        let templates = configuration.targets.map {
            RequestTemplates(target: $0, appClientID: clients?.appClientID ?? "", loginAuthorization: clients?.loginAuthorization)
        }
        let configuration = configuration
        let jwksTarget = configuration.targets[0]
        let jwksRequest = HTTPRequestWriter.request("GET", target: jwksTarget, path: "/.well-known/jwks.json")
        var engines: [NIOLoopBound<LoopEngine>] = []
        for (plan, loop) in zip(plans, group.makeIterator()) {
            let engine = try await loop.submit {
                let workload = try configuration.scenario.makeWorkload(subjects: plan.subjects, configuration: configuration, dpop: dpop)
                let targets = plan.connectionTargets.map { (configuration.targets[$0], templates[$0]) }
                let fetch: (() -> EventLoopFuture<ParsedResponse>)? = configuration.verifies
                    ? { HTTPExchange.send(jwksRequest, to: jwksTarget, on: loop) } : nil
                return NIOLoopBound(LoopEngine(loop: loop, workload: workload, targets: targets,
                                               requestTimeout: TimeAmount(configuration.timeout), fetchJWKS: fetch),
                                    eventLoop: loop)
            }.get()
            engines.append(engine)
        }
        return engines
    }

    /// Takes every loop's interval and merges them.
    private static func collect(_ engines: [NIOLoopBound<LoopEngine>]) async throws -> IntervalSnapshot {
        var merged = IntervalSnapshot()
        for engine in engines {
            merged.add(try await engine.eventLoop.submit { engine.value.stats.takeInterval() }.get())
        }
        return merged
    }

    /// Waits for `future`, or throws `error` after `limit`.
    private static func wait<T: Sendable>(_ future: EventLoopFuture<T>, within limit: TimeAmount, on loop: any EventLoop,
                                          or error: LoadError) async throws {
        let promise = loop.makePromise(of: Void.self)
        let timer = loop.scheduleTask(in: limit) { promise.fail(error) }
        future.whenComplete { result in
            timer.cancel()
            promise.completeWith(result.map { _ in () })
        }
        try await promise.futureResult.get()
    }
}

/// When every engine had finished by itself (its quota done), set once from an event loop.
private final class FinishTime: Sendable {
    private let time = Mutex<UInt64?>(nil)

    /// The monotonic time it was recorded, or nil.
    var value: UInt64? { time.withLock { $0 } }

    /// Records now.
    func record() {
        time.withLock { $0 = MonotonicClock.now() }
    }
}
