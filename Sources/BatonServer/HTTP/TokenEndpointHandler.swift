import NIOCore
import NIOHTTP1

/// Answers `POST /oauth/token` on the connection's event loop, ahead of NIO's HTTP/1 decoder and
/// the router: the request is framed from the socket's bytes (`RequestFrame`), handled (one Redis
/// round trip on a connection of the same loop, one signature) and its response written as one
/// buffer, without llhttp, HTTP part objects, the HTTPTypes conversion, Hummingbird's async
/// channel, router or middleware, which together cost more than the refresh itself.
///
/// Every other request's bytes go to the decoder unchanged, one framed request at a time, so the
/// router sees an ordinary HTTP/1.1 stream. HTTP/1.1 answers in request order: a token request
/// behind a routed one still being answered is routed too (the router has the same endpoint),
/// and while a token request is in flight later bytes wait. A request this framing does not
/// understand hands the connection to the decoder for good.
final class TokenEndpointHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private let endpoint: any TokenAnswering
    /// The executor of the connection's event loop, which answers run on.
    private let executor: EventLoopExecutor
    private let serverName: String
    private let workerID: String?
    private let limits: ConnectionLimits
    private let gauge: ConnectionGauge
    /// Whether this connection was counted in the gauge (and must be counted out).
    private var admitted = false

    /// Bytes received and not yet framed, answered or passed on.
    private var unread: ByteBuffer?
    /// The token request being answered.
    private var answering: RequestFrame?
    /// The rest of a routed request's body still to pass on as it arrives.
    private var forwarding = 0
    /// The rest of a refused (too large) body still to drop.
    private var discarding = 0
    /// Set once a request could not be framed: from then on every byte goes to the decoder.
    private var passingThrough = false
    /// What the decoder has read and the router answered since then, for the deadlines.
    private var passedThrough = (heads: 0, ends: 0, responses: 0, bytesSinceEnd: false)
    /// Set once a request to switch protocols was refused: the connection is closing, and every
    /// later byte is dropped.
    private var refusedAll = false
    /// A request to switch protocols waits for the routed responses ahead of it to be written.
    private var refusalWaiting = false
    /// Routed requests whose response has not been written completely yet (`RoutedMessageObserver`).
    private var routedInFlight = 0
    /// Pipelined bytes past which reads pause while an answer is in flight.
    private static let unreadLimit = 64 * 1024
    private var readHeld = false
    private var inputClosedHeld = false
    /// A socket error raised while a token request was being answered, passed on afterwards.
    private var errorHeld: (any Error)?
    private var closeHeld: (mode: CloseMode, promise: EventLoopPromise<Void>?)?
    private var context: ChannelHandlerContext?
    /// The connection's phase and since when, for its deadline (`ConnectionLimits`).
    private var phase = ConnectionPhase.idle
    private var phaseSince = NIODeadline.now()
    /// The one timer that checks the deadline; moved earlier only when a phase needs it sooner, so
    /// an ordinary request reschedules nothing.
    private var timer: Scheduled<Void>?
    private var timerDue = NIODeadline.distantFuture

    init(endpoint: any TokenAnswering, executor: EventLoopExecutor, serverName: String, workerID: String?,
         limits: ConnectionLimits, gauge: ConnectionGauge) {
        self.endpoint = endpoint
        self.executor = executor
        self.serverName = serverName
        self.workerID = workerID
        self.limits = limits
        self.gauge = gauge
    }

    /// Adds the handler at the socket's end of the pipeline, and its counter of routed responses
    /// right after NIO's HTTP/1 decoder.
    static func add(to pipeline: ChannelPipeline.SynchronousOperations, endpoint: any TokenAnswering,
                    executor: EventLoopExecutor, serverName: String, workerID: String?,
                    limits: ConnectionLimits, gauge: ConnectionGauge) throws {
        let handler = TokenEndpointHandler(endpoint: endpoint, executor: executor, serverName: serverName, workerID: workerID,
                                           limits: limits, gauge: gauge)
        try pipeline.addHandler(handler, position: .first)
        try pipeline.addHandler(RoutedMessageObserver(handler: handler),
                                position: .after(try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func channelActive(context: ChannelHandlerContext) {
        guard gauge.admit(limit: limits.maxConnections) else {
            endpoint.recordRefusedConnection()
            answerAndClose(HTTPError.tooManyConnections, context: context)
            return
        }
        admitted = true
        phaseSince = .now()
        schedule(at: phaseSince + limits.keepAliveTimeout, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        if admitted {
            admitted = false
            gauge.release()
        }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if refusedAll { return }
        if passingThrough, unread == nil, answering == nil {
            passedThrough.bytesSinceEnd = true
            context.fireChannelRead(data)
            updatePhase(context: context)
            return
        }
        var bytes = unwrapInboundIn(data)
        if unread == nil {
            unread = bytes
        } else {
            unread!.writeBuffer(&bytes)
        }
        if answering == nil {
            _ = consumeUnread(context: context)
        }
        updatePhase(context: context)
    }

    /// Frames, answers or passes on the bytes received, in order, until an answer starts or more
    /// bytes are needed. Returns whether bytes went to the decoder.
    private func consumeUnread(context: ChannelHandlerContext) -> Bool {
        var passedOn = false
        while answering == nil, var bytes = unread {
            unread = nil  // keeps `bytes` uniquely referenced while it is read from
            if discarding > 0 {
                let dropped = min(discarding, bytes.readableBytes)
                bytes.moveReaderIndex(forwardBy: dropped)
                discarding -= dropped
            } else if passingThrough || forwarding > 0 {
                let length = passingThrough ? bytes.readableBytes : min(forwarding, bytes.readableBytes)
                if !passingThrough { forwarding -= length }
                context.fireChannelRead(wrapInboundOut(bytes.readSlice(length: length)!))
                passedOn = true
            } else {
                switch bytes.withUnsafeReadableBytes(RequestFrame.read) {
                case .incomplete:
                    unread = bytes
                    return passedOn
                case .unframeable:
                    passingThrough = true
                    passedThrough.bytesSinceEnd = true
                case .frame(let frame) where frame.isTokenRequest && routedInFlight == 0:
                    if frame.contentLength > endpoint.bodyLimit {
                        bytes.moveReaderIndex(forwardBy: frame.headLength)
                        discarding = frame.contentLength
                        answer(frame, body: ByteBuffer(), bodyTooLarge: true, context: context)
                    } else if bytes.readableBytes < frame.length {
                        unread = bytes
                        return passedOn
                    } else {
                        bytes.moveReaderIndex(forwardBy: frame.headLength)
                        answer(frame, body: bytes.readSlice(length: frame.contentLength)!, bodyTooLarge: false, context: context)
                    }
                case .frame(let frame) where frame.contentLength > endpoint.bodyLimit && routedInFlight == 0:
                    // Refused at once, as the router would after reading the limit's worth.
                    bytes.moveReaderIndex(forwardBy: frame.headLength)
                    discarding = frame.contentLength
                    endpoint.recordOversizedRoutedRequest()
                    context.writeAndFlush(wrapOutboundOut(.byteBuffer(encode(.error(HTTPError.bodyTooLarge), for: frame,
                                                                             allocator: context.channel.allocator))), promise: nil)
                    if !frame.keepAlive {
                        closeRefusingAll(context: context)
                        return passedOn
                    }
                case .frame(let frame):
                    routedInFlight += 1
                    forwarding = frame.length
                case .switchingProtocols(let frame) where routedInFlight == 0:
                    refuseSwitchingProtocols(frame, context: context)
                    return passedOn
                case .switchingProtocols:
                    // Answered in order, once the routed responses ahead of it are written.
                    unread = bytes
                    refusalWaiting = true
                    return passedOn
                }
            }
            if bytes.readableBytes > 0 { unread = bytes }
        }
        return passedOn
    }

    private func answer(_ frame: RequestFrame, body: ByteBuffer, bodyTooLarge: Bool, context: ChannelHandlerContext) {
        answering = frame
        let endpoint = self.endpoint
        let address = context.channel.remoteAddress
        let eventLoop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: eventLoop)
        Task(executorPreference: executor) {
            let response = await endpoint.respond(contentType: frame.contentType, authorization: frame.authorization,
                                                  body: body, bodyTooLarge: bodyTooLarge, from: address)
            if eventLoop.inEventLoop {
                handler.value.write(response)
            } else {
                eventLoop.execute { handler.value.write(response) }
            }
        }
    }

    private func write(_ response: EndpointResponse) {
        guard let request = answering, let context else { return }
        answering = nil
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(encode(response, for: request, allocator: context.channel.allocator))),
                              promise: nil)

        if let held = closeHeld {
            closeHeld = nil
            context.close(mode: request.keepAlive ? held.mode : .all, promise: held.promise)
            return
        }
        if !request.keepAlive {
            context.close(promise: nil)
            return
        }
        // Requests pipelined behind this one, in order; one may start another answer. The
        // router's async channel hands reads on at read-complete, so that follows bytes passed on.
        if consumeUnread(context: context) {
            context.fireChannelReadComplete()
        }
        guard answering == nil else { return }
        if let error = errorHeld {
            errorHeld = nil
            context.fireErrorCaught(error)
        }
        if inputClosedHeld {
            inputClosedHeld = false
            closeInput(context: context)
        }
        if readHeld {
            readHeld = false
            context.read()
        }
        updatePhase(context: context)
    }

    /// The response as one buffer: status line, the endpoint's fields, `Server`, `Baton-Worker`,
    /// `Content-Length`, `Connection` when it differs from the version's default, and the body.
    private func encode(_ response: EndpointResponse, for request: RequestFrame, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 256 + response.body.count)
        buffer.writeStaticString(request.minorVersion == 1 ? "HTTP/1.1 " : "HTTP/1.0 ")
        buffer.writeString(String(response.status.code))
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(response.status.reasonPhrase)
        buffer.writeStaticString("\r\n")
        for field in response.headers {
            buffer.writeString(field.name.rawName)
            buffer.writeStaticString(": ")
            buffer.writeString(field.value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("Server: ")
        buffer.writeString(serverName)
        if let workerID {
            buffer.writeStaticString("\r\nBaton-Worker: ")
            buffer.writeString(workerID)
        }
        buffer.writeStaticString("\r\nContent-Length: ")
        buffer.writeString(String(response.body.count))
        if !request.keepAlive, request.minorVersion == 1 {
            buffer.writeStaticString("\r\nConnection: close")
        } else if request.keepAlive, request.minorVersion == 0 {
            buffer.writeStaticString("\r\nConnection: keep-alive")
        }
        buffer.writeStaticString("\r\n\r\n")
        buffer.writeBytes(response.body)
        return buffer
    }

    /// The client finished sending: a token request it left without its whole body is refused
    /// (400, `ClientAbort`) and the connection closed; anything else left unread (past a refused
    /// body's rest) goes to the decoder, which sees the end of input after it.
    private func closeInput(context: ChannelHandlerContext) {
        if !passingThrough, forwarding == 0, discarding == 0, let bytes = unread,
           case .frame(let frame) = bytes.withUnsafeReadableBytes(RequestFrame.read), frame.isTokenRequest {
            // A whole token request would have been answered already: this one's body is short.
            endpoint.recordAbort()
            answerAndClose(ClientAbort.answer, minorVersion: frame.minorVersion, context: context)
            return
        }
        passingThrough = true
        if consumeUnread(context: context) {
            context.fireChannelReadComplete()
        }
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case .some(.inputClosed) = event as? ChannelEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if answering != nil {
            inputClosedHeld = true
        } else {
            closeInput(context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if answering != nil {
            errorHeld = error
        } else {
            context.fireErrorCaught(error)
        }
    }

    /// Called by `RoutedMessageObserver` when the decoder has read a routed request's head.
    fileprivate func routedRequestStarted() {
        guard passingThrough else { return }
        passedThrough.heads += 1
        if let context { updatePhase(context: context) }
    }

    /// Called by `RoutedMessageObserver` when the decoder has read a routed request whole.
    fileprivate func routedRequestEnded() {
        guard passingThrough else { return }
        passedThrough.ends += 1
        passedThrough.bytesSinceEnd = false
        if let context { updatePhase(context: context) }
    }

    /// Called by `RoutedMessageObserver` when a routed response has been written completely.
    fileprivate func routedResponseEnded() {
        routedInFlight = max(0, routedInFlight - 1)
        if passingThrough { passedThrough.responses += 1 }
        guard let context else { return }
        if routedInFlight == 0, refusalWaiting {
            refusalWaiting = false
            _ = consumeUnread(context: context)
        }
        updatePhase(context: context)
    }

    // MARK: Deadlines

    /// Where the connection is now: reading a body (the client's move), serving (the server's),
    /// reading a head, or idle.
    private var currentPhase: ConnectionPhase {
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

    /// Notes a change of phase; moves the timer earlier if the new phase's deadline comes sooner.
    private func updatePhase(context: ChannelHandlerContext) {
        let now = currentPhase
        guard now != phase else { return }
        phase = now
        phaseSince = .now()
        if let timeout = limits.timeout(for: now), phaseSince + timeout < timerDue {
            schedule(at: phaseSince + timeout, context: context)
        }
    }

    private func schedule(at due: NIODeadline, context: ChannelHandlerContext) {
        timer?.cancel()
        timerDue = due
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: due) { handler.value.deadlineReached() }
    }

    /// The timer fired: close a connection whose phase ran out of time, else look again later.
    private func deadlineReached() {
        timer = nil
        timerDue = .distantFuture
        guard let context, admitted else { return }
        updatePhase(context: context)
        guard let timeout = limits.timeout(for: phase) else {
            schedule(at: .now() + limits.recheckInterval, context: context)
            return
        }
        let due = phaseSince + timeout
        guard due <= .now() else {
            schedule(at: due, context: context)
            return
        }
        endpoint.recordTimeout(phase)
        guard phase != .idle, forwarding == 0, !passingThrough else {
            closeRefusingAll(context: context)
            return
        }
        // The client is mid-request and the router has not seen it: say why before closing.
        var minorVersion = 1
        if let unread, case .frame(let partial) = unread.withUnsafeReadableBytes(RequestFrame.read) {
            minorVersion = partial.minorVersion
        }
        answerAndClose(HTTPError.requestTimeout, minorVersion: minorVersion, context: context)
    }

    /// Answers a request to switch protocols with 400 and closes the connection: Baton speaks
    /// HTTP/1.1 only, and requests pipelined behind it are never left waiting.
    private func refuseSwitchingProtocols(_ frame: RequestFrame, context: ChannelHandlerContext) {
        answerAndClose(HTTPError.switchingProtocols, minorVersion: frame.minorVersion, context: context)
    }

    /// Writes `error` as the connection's last answer (`Connection: close` on HTTP/1.1) and closes.
    private func answerAndClose(_ error: HTTPError, minorVersion: Int = 1, context: ChannelHandlerContext) {
        let frame = RequestFrame(isTokenRequest: false, minorVersion: minorVersion, headLength: 0, contentLength: 0, keepAlive: false)
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(encode(.error(error), for: frame, allocator: context.channel.allocator))),
                              promise: nil)
        closeRefusingAll(context: context)
    }

    /// Closes the connection, dropping what is unread and every byte still to come.
    private func closeRefusingAll(context: ChannelHandlerContext) {
        refusedAll = true
        unread = nil
        context.close(promise: nil)
    }

    // MARK: Outbound

    func read(context: ChannelHandlerContext) {
        if answering != nil || refusalWaiting, (unread?.readableBytes ?? 0) >= Self.unreadLimit {
            readHeld = true
        } else {
            context.read()
        }
    }

    /// The router's connection handling closes idle connections (graceful shutdown); it does not
    /// see a token request being answered, so that close waits for the answer.
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if answering != nil, mode != .input {
            closeHeld = (mode, promise)
        } else {
            context.close(mode: mode, promise: promise)
        }
    }
}

/// Sits right behind NIO's HTTP/1 decoder and encoder and tells `TokenEndpointHandler` what they
/// see: a routed request's head and end decoded (which it cannot frame itself once the connection
/// is passed through), and a routed response written completely (so token requests take the
/// event-loop path again).
private final class RoutedMessageObserver: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let handler: TokenEndpointHandler

    init(handler: TokenEndpointHandler) {
        self.handler = handler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: handler.routedRequestStarted()
        case .end: handler.routedRequestEnded()
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let isEnd = if case .end = unwrapOutboundIn(data) { true } else { false }
        context.write(data, promise: promise)
        if isEnd { handler.routedResponseEnded() }
    }
}
