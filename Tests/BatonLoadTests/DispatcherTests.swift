@testable import BatonLoad
import Testing

/// The open loop's latency accounting: latency runs from the intended send time, so waiting for a
/// busy server counts (no coordinated omission).
@Suite struct DispatcherTests {
    private let millisecond: UInt64 = 1_000_000

    @Test func openLoopLatencyRunsFromTheIntendedSendTime() {
        // 1000 requests/s on one connection against a server that takes 5 ms: every request
        // waits for the previous one, and that wait is part of its latency.
        var dispatcher = Dispatcher(schedule: OpenLoopSchedule(start: 0, rate: 1_000), quota: 5)
        dispatcher.connectionIdle(0)
        var now: UInt64 = 0
        var latencies: [UInt64] = []
        while latencies.count < 5 {
            if let send = dispatcher.next(now: now, workAvailable: true) {
                now += 5 * millisecond
                latencies.append(now - send.intended)
                dispatcher.connectionIdle(send.connection)
            } else {
                now = dispatcher.wakeUp(now: now, workAvailable: true)!
            }
        }
        #expect(latencies == [5, 9, 13, 17, 21].map { $0 * millisecond })
        #expect(dispatcher.quotaExhausted)
    }

    @Test func openLoopWaitsForTheScheduleAndNamesTheWakeUp() {
        var dispatcher = Dispatcher(schedule: OpenLoopSchedule(start: 10 * millisecond, rate: 100), quota: nil)
        dispatcher.connectionIdle(0)
        dispatcher.connectionIdle(1)
        #expect(dispatcher.next(now: 0, workAvailable: true) == nil)
        #expect(dispatcher.wakeUp(now: 0, workAvailable: true) == 10 * millisecond)
        #expect(dispatcher.wakeUp(now: 0, workAvailable: false) == nil)
        let first = dispatcher.next(now: 10 * millisecond, workAvailable: true)
        #expect(first == Dispatcher.Send(connection: 0, intended: 10 * millisecond))
        // Late: two tickets are due; both go out at once, each with its own intended time.
        dispatcher.connectionIdle(0)
        #expect(dispatcher.next(now: 35 * millisecond, workAvailable: true)?.intended == 20 * millisecond)
        #expect(dispatcher.next(now: 35 * millisecond, workAvailable: true)?.intended == 30 * millisecond)
        #expect(dispatcher.next(now: 35 * millisecond, workAvailable: true) == nil)   // no connection free
        #expect(dispatcher.wakeUp(now: 35 * millisecond, workAvailable: true) == nil)
    }

    @Test func ticketsThatNeverWentOutAreCountedAsUnsent() {
        var dispatcher = Dispatcher(schedule: OpenLoopSchedule(start: 0, rate: 1_000), quota: nil)
        dispatcher.connectionIdle(0)
        _ = dispatcher.next(now: 0, workAvailable: true)          // ticket 0; the connection stays busy
        dispatcher.stop(now: 10 * millisecond + 500_000)           // tickets 0...9 were due a millisecond before
        #expect(dispatcher.unsent == 9)
        dispatcher.connectionIdle(0)
        #expect(dispatcher.next(now: 11 * millisecond, workAvailable: true) == nil)
    }

    @Test func closedLoopSendsAtOnceUpToTheQuotaFirstIdleFirst() {
        var dispatcher = Dispatcher(schedule: nil, quota: 2)
        dispatcher.connectionIdle(3)
        dispatcher.connectionIdle(7)
        #expect(dispatcher.next(now: 42, workAvailable: false) == nil)
        #expect(dispatcher.next(now: 42, workAvailable: true) == Dispatcher.Send(connection: 3, intended: 42))
        dispatcher.connectionGone(7)
        #expect(dispatcher.next(now: 43, workAvailable: true) == nil)
        dispatcher.connectionIdle(7)
        #expect(dispatcher.next(now: 44, workAvailable: true) == Dispatcher.Send(connection: 7, intended: 44))
        #expect(dispatcher.quotaExhausted)
        dispatcher.connectionIdle(3)
        #expect(dispatcher.next(now: 45, workAvailable: true) == nil)
    }

    @Test func loopsShareTheRateAndTheQuota() throws {
        var configuration = RunConfiguration(scenario: .refresh, targets: [try LoadTarget(parsing: "http://127.0.0.1:1"),
                                                                        try LoadTarget(parsing: "http://127.0.0.1:2")])
        configuration.connections = 5
        configuration.users = 7
        configuration.threads = 2
        configuration.rate = 1_000
        configuration.requests = 101
        let plans = LoopPlan.plans(for: configuration)
        #expect(plans.map(\.connectionTargets) == [[0, 0, 0], [1, 1]])
        #expect(plans.map(\.subjects.count) == [4, 3])
        #expect(plans.map { $0.rate ?? 0 } == [600, 400])
        #expect(plans.map { $0.quota ?? 0 } == [60, 41])

        configuration.scenario = .storm
        configuration.stormSize = 2
        configuration.rate = nil
        let storm = LoopPlan.plans(for: configuration)
        #expect(storm.map(\.connectionTargets.count) == [2, 2])
        #expect(storm.map(\.subjects.count) == [1, 1])
    }
}
