import BatonAuth
import BatonCore
import Prometheus
import Synchronization

/// A worker's metrics, in Prometheus' text format at `/metrics`: requests by endpoint and
/// status, request latency, refresh outcomes, DPoP proofs refused before Redis, the rotation
/// script's latency, Redis failures, control-channel resubscriptions and the keyset version.
public final class BatonMetrics: AuthMetrics {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let refreshScriptLatencyHistogram: DurationHistogram
    private let pubSubResubscriptions: Counter
    private let keysetVersion: Gauge
    private let replicaWaitShortfalls: Counter
    /// Counters that follow totals kept elsewhere (the Redis client, the log writer), read at each scrape.
    private let externalTotals = Mutex<[(counter: Counter, read: @Sendable () -> Int, last: Int)]>([])
    /// Counters and histograms already looked up, so a request costs no registry lookup.
    private let requestSeries = Mutex<[RequestSeries: (count: Counter, latency: DurationHistogram)]>([:])
    private let refreshOutcomeCounters: [RefreshOutcomeLabel: Counter]
    private let dpopRefusalCounters: [DPoPProofRefusal.Reason: Counter]
    private let handoffDelivered: Counter
    private let handoffRefusalCounters: [HandoffDecision.Reason: Counter]

    private struct RequestSeries: Hashable {
        let endpoint: String
        let method: String
        let status: Int
    }

    static let latencyBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1),
    ]

    /// Creates the metrics on a fresh registry (one per worker).
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        refreshScriptLatencyHistogram = registry.makeDurationHistogram(
            descriptor: Self.name("redis", "refresh_script", "seconds", "Round trip of the rotation script (EVALSHA) to Redis"),
            buckets: Self.latencyBuckets)
        pubSubResubscriptions = registry.makeCounter(
            descriptor: Self.name("control", "resubscriptions", "total", "Times the control-channel subscription was re-established"))
        replicaWaitShortfalls = registry.makeCounter(
            descriptor: Self.name("redis", "replica_wait_shortfalls", "total",
                                  "Family writes answered after WAIT with fewer replicas acknowledged than --redis-wait-replicas"))
        keysetVersion = registry.makeGauge(
            descriptor: Self.name("keyset", "version", "number", "Version of the keyset this worker has loaded"))
        refreshOutcomeCounters = Dictionary(uniqueKeysWithValues: RefreshOutcomeLabel.allCases.map { label in
            (label, registry.makeCounter(descriptor: Self.refreshOutcomes, labels: [("outcome", label.rawValue)]))
        })
        dpopRefusalCounters = Dictionary(uniqueKeysWithValues: DPoPProofRefusal.Reason.allCases.map { reason in
            (reason, registry.makeCounter(descriptor: Self.dpopRefusals, labels: [("reason", reason.rawValue)]))
        })
        handoffDelivered = registry.makeCounter(descriptor: Self.handoffOutcomes, labels: [("outcome", "delivered")])
        handoffRefusalCounters = Dictionary(uniqueKeysWithValues: HandoffDecision.Reason.allCases.map { reason in
            (reason, registry.makeCounter(descriptor: Self.handoffOutcomes, labels: [("outcome", reason.rawValue)]))
        })
    }

    /// Counts a finished request and records its latency.
    func request(endpoint: String, method: String, status: Int, duration: Duration) {
        let key = RequestSeries(endpoint: endpoint, method: method, status: status)
        let series = requestSeries.withLock { known in
            if let series = known[key] { return series }
            let series = (
                count: registry.makeCounter(
                    descriptor: Self.requests, labels: [("endpoint", endpoint), ("method", method), ("status", String(status))]),
                latency: registry.makeDurationHistogram(
                    descriptor: Self.requestLatency, labels: [("endpoint", endpoint)], buckets: Self.latencyBuckets))
            known[key] = series
            return series
        }
        series.count.increment()
        series.latency.record(duration)
    }

    /// Counts a request its client stopped sending before it was whole (not in the request metrics).
    func abortedRequest(endpoint: String) {
        registry.makeCounter(descriptor: Self.abortedRequests, labels: [("endpoint", endpoint)]).increment()
    }

    /// Counts a connection closed because its client ran out of time (`idle`, `head`, `body`).
    func connectionTimedOut(phase: String) {
        registry.makeCounter(descriptor: Self.connectionTimeouts, labels: [("phase", phase)]).increment()
    }

    /// Counts a connection refused over the connection limit.
    func connectionRefused() {
        registry.makeCounter(descriptor: Self.refusedConnections).increment()
    }

    /// Counts a refresh by what happened to it.
    public func refreshed(_ outcome: RefreshOutcomeLabel) {
        refreshOutcomeCounters[outcome]!.increment()
    }

    /// Records the rotation script's round trip.
    public func refreshScriptLatency(_ duration: Duration) {
        refreshScriptLatencyHistogram.record(duration)
    }

    /// Counts a DPoP proof refused before Redis was asked, by why.
    public func dpopProofRefused(_ reason: DPoPProofRefusal.Reason) {
        dpopRefusalCounters[reason]!.increment()
    }

    /// Counts a cookie-mode handoff code's exchange by the script's decision (nil: delivered).
    public func handoffExchanged(refused reason: HandoffDecision.Reason?) {
        if let reason { handoffRefusalCounters[reason]!.increment() } else { handoffDelivered.increment() }
    }

    /// Counts a re-established control-channel subscription.
    public func controlResubscribed() {
        pubSubResubscriptions.increment()
    }

    /// Records the keyset version this worker loaded.
    public func keysetLoaded(version: Int64) {
        keysetVersion.set(version)
    }

    /// Counts a family write that fewer replicas acknowledged than asked for.
    public func replicaWaitShortfall() {
        replicaWaitShortfalls.increment()
    }

    /// Running totals of how the Redis client routed commands: cluster redirections followed
    /// (`MOVED`, `ASK`) and moves to another primary (Sentinel).
    public typealias RedisRouting = (moved: Int, ask: Int, primaryChanges: Int)

    /// Reads `routing` at each scrape into `baton_redis_redirections_total{kind}` and
    /// `baton_redis_primary_changes_total`.
    public func readRedisRouting(from routing: @escaping @Sendable () -> RedisRouting) {
        let redirections = Self.name("redis", "redirections", "total", "Redis Cluster redirections followed, by kind (moved, ask)")
        readTotal(registry.makeCounter(descriptor: redirections, labels: [("kind", "moved")])) { routing().moved }
        readTotal(registry.makeCounter(descriptor: redirections, labels: [("kind", "ask")])) { routing().ask }
        readTotal(registry.makeCounter(descriptor: Self.name("redis", "primary_changes", "total",
                                                             "Times the worker moved to another Redis primary (Sentinel)"))) {
            routing().primaryChanges
        }
    }

    /// Reads `dropped` at each scrape into `baton_log_dropped_lines_total`.
    public func readDroppedLogLines(from dropped: @escaping @Sendable () -> Int) {
        readTotal(registry.makeCounter(descriptor: Self.name("log", "dropped_lines", "total",
                                                             "Log lines dropped because the log writer could not keep up")), dropped)
    }

    /// Makes `counter` follow a running total another part of the process keeps.
    private func readTotal(_ counter: Counter, _ read: @escaping @Sendable () -> Int) {
        externalTotals.withLock { $0.append((counter, read, 0)) }
    }

    /// Counts a failed Redis call by its kind (timeout, not_connected, server, ...).
    func redisError(_ kind: String) {
        registry.makeCounter(descriptor: Self.redisErrors, labels: [("kind", kind)]).increment()
    }

    // Descriptors are built once (not per request); immutable, the type merely lacks `Sendable`.
    nonisolated(unsafe) private static let requests = name("http", "requests", "total", "HTTP requests by endpoint, method and status")
    nonisolated(unsafe) private static let requestLatency = name("http", "request", "seconds", "HTTP request latency by endpoint")
    nonisolated(unsafe) private static let refreshOutcomes = name("refresh", "outcomes", "total", "Refresh requests by outcome")
    nonisolated(unsafe) private static let dpopRefusals = name("dpop", "proofs_refused", "total",
                                                               "DPoP proofs refused before Redis was asked, by reason")
    nonisolated(unsafe) private static let handoffOutcomes = name("handoff", "outcomes", "total",
                                                                  "Cookie-mode handoff code exchanges by outcome")
    nonisolated(unsafe) private static let abortedRequests = name("http", "aborted_requests", "total",
                                                                   "Requests the client stopped sending before they were whole, by endpoint")
    nonisolated(unsafe) private static let connectionTimeouts = name("http", "connection_timeouts", "total",
                                                                      "Connections closed because the client ran out of time, by phase")
    nonisolated(unsafe) private static let refusedConnections = name("http", "refused_connections", "total",
                                                                      "Connections refused over the per-worker limit")
    nonisolated(unsafe) private static let redisErrors = name("redis", "errors", "total", "Redis calls that failed, by kind")

    private static func name(_ subsystem: String, _ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "baton", subsystem: subsystem, metricName: metric, unitName: unit, helpText: help)
    }

    /// The metrics in Prometheus' text exposition format.
    func render() -> String {
        externalTotals.withLock { totals in
            for index in totals.indices {
                let now = totals[index].read()
                totals[index].counter.increment(by: Int64(now - totals[index].last))
                totals[index].last = now
            }
        }
        return registry.emitToString()
    }
}
