import NIOCore
import Testing
@testable import BatonRedis

@Suite struct RedisConnectionStateMachineTests {
    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test func repliesGoToWaitersInOrder() {
        var machine = RedisConnectionStateMachine<Int>()
        guard case .write(armTimer: let timer?) = machine.enqueue(1, deadline: start) else {
            Issue.record("the first command arms the timer")
            return
        }
        #expect(timer == start)
        guard case .write(armTimer: nil) = machine.enqueue(2, deadline: start + .seconds(1)) else {
            Issue.record("later commands do not re-arm")
            return
        }
        guard case .resume(1, .integer(10)) = machine.received(.integer(10)),
              case .resume(2, .integer(20)) = machine.received(.integer(20))
        else {
            Issue.record("replies must be matched first in, first out")
            return
        }
        #expect(machine.inFlight == 0)
    }

    @Test func unexpectedReplyClosesTheConnection() {
        var machine = RedisConnectionStateMachine<Int>()
        guard case .closeConnection(let error) = machine.received(.status("OK")) else {
            Issue.record("a reply with nothing in flight is a protocol violation")
            return
        }
        #expect(error.code == .protocolViolation)
    }

    @Test func overdueCommandFailsEveryWaiterAndCloses() {
        var machine = RedisConnectionStateMachine<Int>()
        _ = machine.enqueue(1, deadline: start)
        _ = machine.enqueue(2, deadline: start + .milliseconds(10))
        guard case .rearm(let deadline) = machine.timeoutFired(now: start - .milliseconds(1), timeout: .seconds(1)) else {
            Issue.record("an early check re-arms")
            return
        }
        #expect(deadline == start)
        guard case .failAllAndClose(let waiters, let error) = machine.timeoutFired(now: start, timeout: .seconds(1)) else {
            Issue.record("an overdue head fails everything")
            return
        }
        #expect(waiters == [1, 2])
        #expect(error.code == .timeout)
        guard case .fail(3, let later) = machine.enqueue(3, deadline: start + .seconds(5)) else {
            Issue.record("a closed connection fails new commands at once")
            return
        }
        #expect(later.code == .timeout)
    }

    @Test func closingFailsWaitersOnce() {
        var machine = RedisConnectionStateMachine<Int>()
        _ = machine.enqueue(7, deadline: start)
        #expect(machine.closed(RedisError(.connectionClosed, "gone")) == [7])
        #expect(machine.closed(RedisError(.connectionClosed, "again")) == [])
        guard case .none = machine.received(.integer(1)) else {
            Issue.record("replies after close are ignored")
            return
        }
        guard case .none = machine.timeoutFired(now: start + .seconds(9), timeout: .seconds(1)) else {
            Issue.record("no timeout after close")
            return
        }
    }
}
