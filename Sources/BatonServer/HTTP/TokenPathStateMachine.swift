import NIOCore

/// The decisions of the token path for one connection, apart from its I/O: which bytes are a
/// token request to answer on the event loop, which go on to NIO's HTTP/1 decoder (the router),
/// which are dropped, and what waits while an answer is in flight. `TokenEndpointHandler` feeds
/// it events (bytes read, answer ready, input closed, close or read requested, routed messages
/// seen) and performs the actions `next()` hands out until it returns nil.
///
/// HTTP/1.1 answers in request order: a token request behind a routed one still being answered
/// is routed too (the router has the same endpoint), and while a token request is answered later
/// bytes wait. A request the framing does not understand hands the connection to the decoder for
/// good; a request to switch protocols is refused and the connection closed.
///
/// ```swift
/// var machine = TokenPathStateMachine(bodyLimit: 16_384)
/// if machine.bytesRead(bytes) == .buffered {
///     while let action = machine.next() { perform(action) }
/// }
/// ```
struct TokenPathStateMachine {
    /// What the handler does next.
    enum Action {
        /// Passes bytes on to NIO's HTTP/1 decoder.
        case forward(ByteBuffer)
        /// Ends a batch of bytes passed on outside a socket read (`channelReadComplete`).
        case forwardReadComplete
        /// Answers a token request (then `answerReady()`); `bodyTooLarge` when its body went over the limit.
        case answer(RequestFrame, body: ByteBuffer, bodyTooLarge: Bool)
        /// Answers 413 to a routed request over the limit (its body is dropped); `close` when it
        /// was the connection's last request.
        case refuseOversized(RequestFrame, close: Bool)
        /// Writes `error` as the connection's last answer and closes it; all input is dropped.
        case answerAndClose(HTTPError, minorVersion: Int)
        /// A token request's client stopped sending before its body was whole: counted, answered
        /// 400 (`ClientAbort`) and closed.
        case abortAndClose(minorVersion: Int)
        /// Closes without a word (a deadline passed with nothing to say); all input is dropped.
        case closeRefusingAll
        /// Closes after the answer just written: a close held while it was in flight, or the
        /// request's own `Connection: close`.
        case close(CloseMode)
        /// Passes on the end of the client's input.
        case fireInputClosed
        /// Passes on a socket error held while an answer was in flight.
        case fireError(any Error)
        /// Asks the socket for more bytes (a read held while too much was waiting).
        case read
    }

    /// What became of bytes read from the socket.
    enum ReadDecision: Equatable {
        /// Pass them on to the decoder as they are (the connection is the decoder's for good).
        case passOn
        /// Drop them (the connection is being closed).
        case drop
        /// Kept: call `next()`.
        case buffered
    }

    /// The largest body accepted (413 beyond).
    let bodyLimit: Int
    /// Pipelined bytes past which reads pause while an answer is in flight.
    static let unreadLimit = 64 * 1024

    /// Bytes received and not yet framed, answered or passed on.
    private var unread: ByteBuffer?
    /// The token request being answered.
    private(set) var answering: RequestFrame?
    /// The rest of a routed request's body still to pass on as it arrives.
    private var forwarding = 0
    /// The rest of a refused (too large) body still to drop.
    private var discarding = 0
    /// Set once a request could not be framed: from then on every byte goes to the decoder.
    private var passingThrough = false
    /// What the decoder has read and the router answered since then, for the deadlines.
    private var passedThrough = (heads: 0, ends: 0, responses: 0, bytesSinceEnd: false)
    /// Set once the connection is being closed: every later byte is dropped, no action follows.
    private var refusedAll = false
    /// A request to switch protocols waits for the routed responses ahead of it to be written.
    private var refusalWaiting = false
    /// Routed requests whose response has not been written completely yet.
    private var routedInFlight = 0
    private var readHeld = false
    /// The client finished sending; handled once no answer is in flight.
    private var inputClosedPending = false
    private var errorHeld: (any Error)?
    private var closeHeld: CloseMode?
    /// The close that follows the answer just written.
    private var closeAfterAnswer: CloseMode?
    /// The end of input is to be passed on once the bytes before it are.
    private var inputClosedToFire = false
    /// Bytes passed on outside a socket read owe the decoder a read-complete.
    private var readCompleteOwed = false
    private var forwardedSinceOwed = false

    init(bodyLimit: Int) {
        self.bodyLimit = bodyLimit
    }

    // MARK: Events

    /// Bytes from the socket.
    mutating func bytesRead(_ bytes: ByteBuffer) -> ReadDecision {
        if refusedAll { return .drop }
        if passingThrough, unread == nil, answering == nil {
            passedThrough.bytesSinceEnd = true
            return .passOn
        }
        if unread == nil {
            unread = bytes
        } else {
            var bytes = bytes
            unread!.writeBuffer(&bytes)
        }
        readCompleteOwed = false  // the socket's own read-complete follows
        return .buffered
    }

    /// The answer to the token request in flight is ready: returns that request (to write the
    /// answer for), then `next()` goes on with what waited.
    mutating func answerReady() -> RequestFrame? {
        guard let request = answering else { return nil }
        answering = nil
        if let held = closeHeld {
            closeHeld = nil
            closeAfterAnswer = request.keepAlive ? held : .all
        } else if !request.keepAlive {
            closeAfterAnswer = .all
        }
        readCompleteOwed = true
        forwardedSinceOwed = false
        return request
    }

    /// The client finished sending (handled by `next()` once no answer is in flight).
    mutating func inputClosed() {
        inputClosedPending = true
    }

    /// A socket error: true to pass it on now, false when it waits for the answer in flight.
    mutating func errorCaught(_ error: any Error) -> Bool {
        guard answering != nil else { return true }
        errorHeld = error
        return false
    }

    /// The router's side asks to close: true to close now, false when the close waits for the
    /// answer in flight (the router does not see it).
    mutating func closeRequested(_ mode: CloseMode) -> Bool {
        guard answering != nil, mode != .input else { return true }
        closeHeld = mode
        return false
    }

    /// The pipeline asks for more bytes: true to read now, false when too much is waiting
    /// behind an answer in flight (the read happens once it is written).
    mutating func readRequested() -> Bool {
        guard answering != nil || refusalWaiting, (unread?.readableBytes ?? 0) >= Self.unreadLimit else { return true }
        readHeld = true
        return false
    }

    /// The decoder has read a routed request's head.
    mutating func routedRequestStarted() {
        if passingThrough { passedThrough.heads += 1 }
    }

    /// The decoder has read a routed request whole.
    mutating func routedRequestEnded() {
        guard passingThrough else { return }
        passedThrough.ends += 1
        passedThrough.bytesSinceEnd = false
    }

    /// A routed response has been written completely.
    mutating func routedResponseEnded() {
        routedInFlight = max(0, routedInFlight - 1)
        if passingThrough { passedThrough.responses += 1 }
        if routedInFlight == 0 { refusalWaiting = false }
    }

    /// The connection is being closed by the handler (refused at accept): drop everything.
    mutating func refuseAll() {
        refusedAll = true
        unread = nil
    }

    /// The client ran out of time in `phase`: what to do (say why if it is mid-request and the
    /// router has not seen it, else close).
    mutating func timedOut(in phase: ConnectionPhase) -> Action {
        guard phase != .idle, forwarding == 0, !passingThrough else {
            refuseAll()
            return .closeRefusingAll
        }
        var minorVersion = 1
        if let unread, case .frame(let partial) = unread.withUnsafeReadableBytes(RequestFrame.read) {
            minorVersion = partial.minorVersion
        }
        refuseAll()
        return .answerAndClose(.requestTimeout, minorVersion: minorVersion)
    }

    // MARK: Actions

    /// The next thing to do, or nil when the machine waits for an event.
    mutating func next() -> Action? {
        if let mode = closeAfterAnswer {
            closeAfterAnswer = nil
            refusedAll = true
            return .close(mode)
        }
        while !refusedAll {
            if answering == nil, let action = consumeOne() { return action }
            if readCompleteOwed {
                readCompleteOwed = false
                if forwardedSinceOwed {
                    forwardedSinceOwed = false
                    return .forwardReadComplete
                }
            }
            if answering != nil { return nil }
            if inputClosedToFire {
                inputClosedToFire = false
                return .fireInputClosed
            }
            if let error = errorHeld {
                errorHeld = nil
                return .fireError(error)
            }
            if inputClosedPending {
                inputClosedPending = false
                if let abort = closeInput() { return abort }
                continue
            }
            if readHeld {
                readHeld = false
                return .read
            }
            return nil
        }
        return nil
    }

    /// A token request left without its whole body is an abort; anything else left unread goes
    /// to the decoder, followed by the end of input.
    private mutating func closeInput() -> Action? {
        if !passingThrough, forwarding == 0, discarding == 0, let bytes = unread,
           case .frame(let frame) = bytes.withUnsafeReadableBytes(RequestFrame.read), frame.isTokenRequest {
            // A whole token request would have been answered already: this one's body is short.
            refuseAll()
            return .abortAndClose(minorVersion: frame.minorVersion)
        }
        passingThrough = true
        readCompleteOwed = true
        forwardedSinceOwed = false
        inputClosedToFire = true
        return nil
    }

    /// Frames, answers or passes on the bytes received, one step: nil when more bytes are needed
    /// (or something must happen first).
    private mutating func consumeOne() -> Action? {
        while answering == nil, var bytes = unread {
            unread = nil  // keeps `bytes` uniquely referenced while it is read from
            defer { if !refusedAll, bytes.readableBytes > 0, unread == nil { unread = bytes } }
            if discarding > 0 {
                let dropped = min(discarding, bytes.readableBytes)
                bytes.moveReaderIndex(forwardBy: dropped)
                discarding -= dropped
                continue
            }
            if passingThrough || forwarding > 0 {
                let length = passingThrough ? bytes.readableBytes : min(forwarding, bytes.readableBytes)
                if !passingThrough { forwarding -= length }
                forwardedSinceOwed = true
                return .forward(bytes.readSlice(length: length)!)
            }
            switch bytes.withUnsafeReadableBytes(RequestFrame.read) {
            case .incomplete:
                return nil
            case .unframeable:
                passingThrough = true
                passedThrough.bytesSinceEnd = true
            case .frame(let frame) where frame.isTokenRequest && routedInFlight == 0:
                if frame.contentLength > bodyLimit {
                    bytes.moveReaderIndex(forwardBy: frame.headLength)
                    discarding = frame.contentLength
                    answering = frame
                    return .answer(frame, body: ByteBuffer(), bodyTooLarge: true)
                }
                guard bytes.readableBytes >= frame.length else { return nil }
                bytes.moveReaderIndex(forwardBy: frame.headLength)
                answering = frame
                return .answer(frame, body: bytes.readSlice(length: frame.contentLength)!, bodyTooLarge: false)
            case .frame(let frame) where frame.contentLength > bodyLimit && routedInFlight == 0:
                // Refused at once, as the router would after reading the limit's worth.
                bytes.moveReaderIndex(forwardBy: frame.headLength)
                discarding = frame.contentLength
                if !frame.keepAlive { refuseAll() }
                return .refuseOversized(frame, close: !frame.keepAlive)
            case .frame(let frame):
                routedInFlight += 1
                forwarding = frame.length
            case .switchingProtocols(let frame) where routedInFlight == 0:
                refuseAll()
                return .answerAndClose(.switchingProtocols, minorVersion: frame.minorVersion)
            case .switchingProtocols:
                // Answered in order, once the routed responses ahead of it are written.
                refusalWaiting = true
                return nil
            }
        }
        return nil
    }

    // MARK: Deadlines

    /// Where the connection is now: reading a body (the client's move), serving (the server's),
    /// reading a head, or idle.
    var phase: ConnectionPhase {
        if passingThrough, unread == nil, answering == nil { return passedThroughPhase }
        if forwarding > 0 || discarding > 0 { return .readingBody }
        if answering != nil || routedInFlight > 0 || passingThrough || refusalWaiting || refusedAll { return .serving }
        guard let unread, unread.readableBytes > 0 else { return .idle }
        if case .frame = unread.withUnsafeReadableBytes(RequestFrame.read) { return .readingBody }
        return .readingHead
    }

    /// The phase of a connection handed to the decoder for good, from what it decoded and answered.
    private var passedThroughPhase: ConnectionPhase {
        if passedThrough.heads > passedThrough.ends { return .readingBody }
        if passedThrough.ends > passedThrough.responses { return .serving }
        return passedThrough.bytesSinceEnd ? .readingHead : .idle
    }
}
