import NIOCore
import Testing
@testable import BatonServer

/// `TokenPathStateMachine` alone: events in, actions out, no channel.
@Suite struct TokenPathStateMachineTests {
    private static func token(_ body: String, close: Bool = false) -> String {
        "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\(close ? "Connection: close\r\n" : "")\r\n\(body)"
    }

    /// Each action as a short text, to compare sequences.
    private static func describe(_ action: TokenPathStateMachine.Action) -> String {
        switch action {
        case .forward(let bytes): "forward \(String(buffer: bytes))"
        case .forwardReadComplete: "read-complete"
        case .answer(_, let body, let tooLarge): "answer \(String(buffer: body))\(tooLarge ? " (too large)" : "")"
        case .refuseOversized(_, let close): "413\(close ? " and close" : "")"
        case .answerAndClose(let error, _): "\(error.status.code) and close"
        case .abortAndClose: "abort"
        case .closeRefusingAll: "close"
        case .close(let mode): "close \(mode)"
        case .fireInputClosed: "input-closed"
        case .fireError: "error"
        case .read: "read"
        }
    }

    private struct Machine {
        var machine = TokenPathStateMachine(bodyLimit: 16)

        mutating func read(_ text: String) -> TokenPathStateMachine.ReadDecision {
            machine.bytesRead(ByteBuffer(string: text))
        }

        mutating func actions() -> [String] {
            var actions: [String] = []
            while let action = machine.next() { actions.append(TokenPathStateMachineTests.describe(action)) }
            return actions
        }
    }

    @Test func aTokenRequestIsAnsweredAndWhatFollowsWaitsForTheAnswer() {
        var m = Machine()
        #expect(m.read(Self.token("a=1") + "GET /x HTTP/1.1\r\n\r\n") == .buffered)
        #expect(m.actions() == ["answer a=1"])
        #expect(m.machine.phase == .serving)
        #expect(m.read("GET /y HTTP/1.1\r\n\r\n") == .buffered)
        #expect(m.actions().isEmpty, "nothing moves while the answer is in flight")
        #expect(m.machine.answerReady() != nil)
        #expect(m.actions() == ["forward GET /x HTTP/1.1\r\n\r\n", "forward GET /y HTTP/1.1\r\n\r\n", "read-complete"])
    }

    @Test func aHeadSplitAnywhereWaitsForTheRest() {
        let request = Self.token("abc=1")
        for split in 1..<request.utf8.count {
            var m = Machine()
            let bytes = Array(request.utf8)
            _ = m.read(String(decoding: bytes[..<split], as: UTF8.self))
            #expect(m.actions().isEmpty, "split at \(split)")
            _ = m.read(String(decoding: bytes[split...], as: UTF8.self))
            #expect(m.actions() == ["answer abc=1"], "split at \(split)")
        }
    }

    @Test func connectionCloseEndsTheConnectionAfterTheAnswer() {
        var m = Machine()
        _ = m.read(Self.token("a=1", close: true))
        #expect(m.actions() == ["answer a=1"])
        _ = m.machine.answerReady()
        #expect(m.actions() == ["close all"])
        #expect(m.read(Self.token("b=2")) == .drop)
    }

    @Test func aCloseAnErrorAndAReadHeldDuringAnAnswerFollowIt() {
        var m = Machine()
        _ = m.read(Self.token("a=1") + String(repeating: "x", count: TokenPathStateMachine.unreadLimit))
        #expect(m.actions() == ["answer a=1"])
        let reads = m.machine.readRequested()
        #expect(!reads, "64 KiB wait: no more reads until the answer is written")
        let errorPassedOn = m.machine.errorCaught(ChannelError.ioOnClosedChannel)
        #expect(!errorPassedOn)
        _ = m.machine.answerReady()
        // The waiting bytes frame as nothing: they go to the decoder for good.
        let actions = m.actions()
        #expect(actions.first?.hasPrefix("forward xxxx") == true)
        #expect(Array(actions.dropFirst()) == ["read-complete", "error", "read"])

        var closing = Machine()
        _ = closing.read(Self.token("a=1"))
        _ = closing.actions()
        let closesAll = closing.machine.closeRequested(.all)
        #expect(!closesAll, "the router's close waits for the answer")
        let closesInput = closing.machine.closeRequested(.input)
        #expect(closesInput, "a half-close of input does not")
        _ = closing.machine.answerReady()
        #expect(closing.actions() == ["close all"])
    }

    @Test func bodiesOverTheLimitAreRefusedAndDropped() {
        var m = Machine()
        _ = m.read(Self.token(String(repeating: "t", count: 20)) + "POST /other HTTP/1.1\r\nContent-Length: 17\r\n\r\n")
        #expect(m.actions() == ["answer  (too large)"])
        _ = m.machine.answerReady()
        #expect(m.actions() == ["413"], "the token body is dropped, the routed one refused before it arrives")
        #expect(m.machine.phase == .readingBody)
        _ = m.read(String(repeating: "o", count: 17) + "GET /z HTTP/1.1\r\n\r\n")
        #expect(m.actions() == ["forward GET /z HTTP/1.1\r\n\r\n"])
    }

    @Test func theEndOfInputMidBodyIsAnAbortAndAfterAWholeRequestIsPassedOn() {
        var short = Machine()
        _ = short.read("POST /oauth/token HTTP/1.1\r\nContent-Length: 9\r\n\r\na=1")
        #expect(short.actions().isEmpty)
        short.machine.inputClosed()
        #expect(short.actions() == ["abort"])

        var whole = Machine()
        _ = whole.read(Self.token("a=1") + "GET /x HTTP/1.1\r\n\r\n")
        _ = whole.actions()
        whole.machine.inputClosed()
        #expect(whole.actions().isEmpty, "held until the answer is written")
        _ = whole.machine.answerReady()
        #expect(whole.actions() == ["forward GET /x HTTP/1.1\r\n\r\n", "read-complete", "input-closed"])
    }

    @Test func aRoutedRequestInFlightRoutesTheTokenRequestsBehindIt() {
        var m = Machine()
        _ = m.read("GET /x HTTP/1.1\r\n\r\n" + Self.token("a=1"))
        #expect(m.actions() == ["forward GET /x HTTP/1.1\r\n\r\n", "forward " + Self.token("a=1")])
        m.machine.routedResponseEnded()
        m.machine.routedResponseEnded()
        _ = m.read(Self.token("b=2"))
        #expect(m.actions() == ["answer b=2"], "with the routed answers written, the event-loop path again")
    }

    @Test func aRequestToSwitchProtocolsWaitsForTheRoutedAnswersAheadThenCloses() {
        var m = Machine()
        _ = m.read("GET /x HTTP/1.1\r\n\r\nGET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n")
        #expect(m.actions() == ["forward GET /x HTTP/1.1\r\n\r\n"])
        m.machine.routedResponseEnded()
        #expect(m.actions() == ["400 and close"])
        #expect(m.read("more") == .drop)
    }

    @Test func deadlines() {
        var idle = Machine()
        #expect(idle.machine.phase == .idle)
        let idleAction = idle.machine.timedOut(in: .idle)
        #expect(Self.describe(idleAction) == "close")
        var head = Machine()
        _ = head.read("POST /oauth/tok")
        #expect(head.machine.phase == .readingHead)
        let headAction = head.machine.timedOut(in: .readingHead)
        #expect(Self.describe(headAction) == "408 and close")
        #expect(head.read("en HTTP/1.1\r\n") == .drop)
    }
}
