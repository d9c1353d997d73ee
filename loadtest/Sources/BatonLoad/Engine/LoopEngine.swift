import NIOCore

/// Everything a run does on one event loop: its connections, its share of the users (the
/// workload), its dispatcher, its statistics and, when tokens are verified, its JWKS cache. It
/// is touched only on its loop, so the hot path takes no lock; the coordinator talks to it with
/// `submit` (a snapshot a second, start, stop).
final class LoopEngine {
    private enum Phase { case setup, ready, running, stopping, finished }

    /// The loop everything here runs on.
    let loop: any EventLoop
    /// This loop's statistics.
    let stats = LoopStats()
    /// Access-token verification, when the run verifies.
    private(set) var verifier: JWKSVerifier?

    private let workload: any Workload
    private var connections: [LoadConnection] = []
    private var dispatcher = Dispatcher(schedule: nil, quota: nil)
    private var phase = Phase.setup
    private let ready: EventLoopPromise<Void>
    private let finished: EventLoopPromise<Void>
    private var inFlight = 0
    private var everConnected = 0
    private var timer: Scheduled<Void>?
    private var timerDeadline = UInt64.max
    private var sweeper: Scheduled<Void>?
    private let requestTimeout: UInt64

    /// An engine on `loop` with one connection per entry of `targets`.
    init(loop: any EventLoop, workload: any Workload, targets: [(LoadTarget, RequestTemplates)], requestTimeout: TimeAmount,
         fetchJWKS: (() -> EventLoopFuture<ParsedResponse>)?) {
        self.loop = loop
        self.workload = workload
        self.requestTimeout = UInt64(requestTimeout.nanoseconds)
        ready = loop.makePromise()
        finished = loop.makePromise()
        connections = targets.enumerated().map { index, entry in
            LoadConnection(id: index, target: entry.0, templates: entry.1, engine: self)
        }
        if let fetchJWKS { verifier = JWKSVerifier(loop: loop, stats: stats, fetchJWKS: fetchJWKS) }
    }

    /// Connects, creates the users' sessions and fetches the JWKS; succeeds when all is ready.
    func setUp() -> EventLoopFuture<Void> {
        scheduleSweep()
        for connection in connections { connection.connect() }
        guard let verifier else { return ready.futureResult }
        let primed = verifier.prime()
        return ready.futureResult.assumeIsolated().flatMap { primed }.nonisolated()
    }

    /// Starts the measured phase: an open loop on `schedule`, or a closed loop; at most `quota` requests.
    func start(schedule: OpenLoopSchedule?, quota: Int?) {
        guard phase == .ready else { return }
        stats.reset()
        dispatcher.begin(schedule: schedule, quota: quota)
        phase = .running
        pump()
    }

    /// Succeeds when the measured phase has ended and nothing is in flight.
    var finishedFuture: EventLoopFuture<Void> { finished.futureResult }

    /// Sends nothing more; in-flight requests may still complete.
    func stop() {
        guard phase == .running || phase == .ready || phase == .setup else { return }
        dispatcher.stop(now: MonotonicClock.now())
        stats.unsent = dispatcher.unsent
        phase = .stopping
        cancelTimer()
        settle()
    }

    /// Ends now: requests still in flight count as transport errors.
    func abort() {
        guard phase != .finished else { return }
        for connection in connections {
            guard let job = connection.takeJob() else { continue }
            workload.abandon(user: job.user, operation: job.operation)
            if !job.isSetup { stats.recordTransportError("no answer before the run ended") }
        }
        inFlight = 0
        finish()
    }

    // MARK: Events from connections

    func connected(_ connection: LoadConnection) {
        everConnected += 1
        dispatcher.connectionIdle(connection.id)
        settle()
    }

    func connectFailed(_ connection: LoadConnection, reason: String) {
        switch phase {
        case .setup:
            ready.fail(LoadError.setup(reason))
        case .ready, .running:
            stats.recordTransportError(reason)
            reconnect(connection, after: .milliseconds(100))
        case .stopping, .finished:
            settle()
        }
    }

    func completed(_ connection: LoadConnection, job: Job, response: ParsedResponse, reusable: Bool) {
        let now = MonotonicClock.now()
        inFlight -= 1
        let verdict = workload.complete(user: job.user, operation: job.operation, response: response, stats: stats)
        if job.isSetup {
            if verdict != .success {
                ready.fail(LoadError.setup("\(job.operation) answered \(response.status): \(response.text.prefix(200))"))
            }
        } else if phase != .finished {
            stats.record(job.operation, latencyNanoseconds: now &- job.intended, verdict: verdict)
            if let verifier, verdict == .success, job.operation == .refresh || job.operation == .create {
                verifier.check(responseBody: response.body)
            }
        }
        if reusable { dispatcher.connectionIdle(connection.id) }
        settle()
    }

    func disconnected(_ connection: LoadConnection, lost: Job?, reason: String) {
        dispatcher.connectionGone(connection.id)
        if let job = lost {
            inFlight -= 1
            workload.abandon(user: job.user, operation: job.operation)
            if !job.isSetup && phase != .finished { stats.recordTransportError(reason) }
        }
        switch phase {
        case .setup, .ready, .running: connection.connect()
        case .stopping, .finished: break
        }
        settle()
    }

    // MARK: Dispatching

    /// Moves the phase on after any event: sends what can be sent, notices readiness and the end.
    private func settle() {
        switch phase {
        case .setup:
            pump(setup: true)
            if workload.isSetUp, inFlight == 0, everConnected >= connections.count {
                phase = .ready
                ready.succeed(())
            }
        case .ready:
            break
        case .running:
            pump()
            if dispatcher.quotaExhausted, inFlight == 0 { finish() }
        case .stopping:
            if inFlight == 0 { finish() }
        case .finished:
            break
        }
    }

    private func pump(setup: Bool = false) {
        let now = MonotonicClock.now()
        while let send = dispatcher.next(now: now, workAvailable: workload.hasWork(setup: setup)) {
            let connection = connections[send.connection]
            let (user, operation) = workload.makeJob(setup: setup, templates: connection.templates,
                                                     into: &connection.requestBuffer)
            connection.send(Job(user: user, operation: operation, intended: send.intended, isSetup: setup), now: now)
            inFlight += 1
        }
        if let wakeUp = dispatcher.wakeUp(now: now, workAvailable: workload.hasWork(setup: setup)) {
            scheduleTimer(at: wakeUp)
        }
    }

    private func scheduleTimer(at deadline: UInt64) {
        guard timer == nil || deadline < timerDeadline else { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = loop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(deadline)) {
            self.timer = nil
            self.timerDeadline = .max
            self.settle()
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerDeadline = .max
    }

    private func reconnect(_ connection: LoadConnection, after delay: TimeAmount) {
        loop.assumeIsolated().scheduleTask(in: delay) {
            guard self.phase == .ready || self.phase == .running, !connection.isOpen else { return }
            connection.connect()
        }
    }

    /// Checks for overdue requests every 100 ms until the run finishes.
    private func scheduleSweep() {
        sweeper = loop.assumeIsolated().scheduleTask(in: .milliseconds(100)) {
            self.sweepTimeouts()
            if self.phase != .finished { self.scheduleSweep() }
        }
    }

    private func sweepTimeouts() {
        let now = MonotonicClock.now()
        for connection in connections where connection.job != nil && now &- connection.sentAt > requestTimeout {
            connection.close(reason: "no answer within \(requestTimeout / 1_000_000) ms")
        }
    }

    private func finish() {
        guard phase != .finished else { return }
        phase = .finished
        cancelTimer()
        sweeper?.cancel()
        for connection in connections where connection.isOpen { connection.close(reason: "the run ended") }
        ready.fail(LoadError.setup("the run ended during setup"))
        finished.succeed(())
    }
}
