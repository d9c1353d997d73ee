import NIOCore
import NIOHTTP1

/// Answers `POST /oauth/token` on the connection's event loop, ahead of NIO's HTTP/1 decoder and
/// the router: the request is framed from the socket's bytes (`RequestFrame`), handled (one Redis
/// round trip on a connection of the same loop, one signature) and its response written as one
/// buffer, without llhttp, HTTP part objects, the HTTPTypes conversion, Hummingbird's async
/// channel, router or middleware, which together cost more than the refresh itself.
///
/// Every decision is `TokenPathStateMachine`'s; this handler only does the I/O: it feeds the
/// machine the channel's events, performs its actions, writes the responses and keeps the
/// connection's deadline (`ConnectionLimits`) and its place in the worker's `ConnectionGauge`.
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

    private var machine: TokenPathStateMachine
    /// The promise of a close the machine held while an answer was in flight.
    private var heldClosePromise: EventLoopPromise<Void>?
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
        machine = TokenPathStateMachine(bodyLimit: endpoint.bodyLimit)
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
            machine.refuseAll()
            answerAndClose(HTTPError.tooManyConnections, minorVersion: 1, context: context)
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

    // MARK: Events in, actions out

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch machine.bytesRead(unwrapInboundIn(data)) {
        case .drop: return
        case .passOn: context.fireChannelRead(data)
        case .buffered: performActions(context: context)
        }
        updatePhase(context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case .some(.inputClosed) = event as? ChannelEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        machine.inputClosed()
        performActions(context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if machine.errorCaught(error) { context.fireErrorCaught(error) }
    }

    func read(context: ChannelHandlerContext) {
        if machine.readRequested() { context.read() }
    }

    /// The router's connection handling closes idle connections (graceful shutdown); it does not
    /// see a token request being answered, so that close waits for the answer.
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if machine.closeRequested(mode) {
            context.close(mode: mode, promise: promise)
        } else {
            heldClosePromise = promise
        }
    }

    /// Called by `RoutedMessageObserver` when the decoder has read a routed request's head.
    fileprivate func routedRequestStarted() {
        machine.routedRequestStarted()
        if let context { updatePhase(context: context) }
    }

    /// Called by `RoutedMessageObserver` when the decoder has read a routed request whole.
    fileprivate func routedRequestEnded() {
        machine.routedRequestEnded()
        if let context { updatePhase(context: context) }
    }

    /// Called by `RoutedMessageObserver` when a routed response has been written completely.
    fileprivate func routedResponseEnded() {
        machine.routedResponseEnded()
        guard let context else { return }
        performActions(context: context)
        updatePhase(context: context)
    }

    /// Does what the machine says until it waits for an event.
    private func performActions(context: ChannelHandlerContext) {
        while let action = machine.next() {
            switch action {
            case .forward(let bytes):
                context.fireChannelRead(wrapInboundOut(bytes))
            case .forwardReadComplete:
                context.fireChannelReadComplete()
            case .answer(let frame, let body, let bodyTooLarge):
                answer(frame, body: body, bodyTooLarge: bodyTooLarge, context: context)
            case .refuseOversized(let frame, let close):
                endpoint.recordOversizedRoutedRequest()
                context.writeAndFlush(wrapOutboundOut(.byteBuffer(encode(.error(HTTPError.bodyTooLarge), for: frame,
                                                                         allocator: context.channel.allocator))), promise: nil)
                if close { context.close(promise: nil) }
            case .answerAndClose(let error, let minorVersion):
                answerAndClose(error, minorVersion: minorVersion, context: context)
            case .abortAndClose(let minorVersion):
                endpoint.recordAbort()
                answerAndClose(ClientAbort.answer, minorVersion: minorVersion, context: context)
            case .closeRefusingAll:
                context.close(promise: nil)
            case .close(let mode):
                let promise = heldClosePromise
                heldClosePromise = nil
                context.close(mode: mode, promise: promise)
            case .fireInputClosed:
                context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
            case .fireError(let error):
                context.fireErrorCaught(error)
            case .read:
                context.read()
            }
        }
    }

    /// Runs the endpoint in a task on the connection's event loop; its answer comes back to `write`.
    private func answer(_ frame: RequestFrame, body: ByteBuffer, bodyTooLarge: Bool, context: ChannelHandlerContext) {
        let endpoint = self.endpoint
        let address = context.channel.remoteAddress
        let eventLoop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: eventLoop)
        Task(executorPreference: executor) {
            let response = await endpoint.respond(contentType: frame.contentType, authorization: frame.authorization,
                                                  dpop: frame.dpop, body: body, bodyTooLarge: bodyTooLarge, from: address)
            if eventLoop.inEventLoop {
                handler.value.write(response)
            } else {
                eventLoop.execute { handler.value.write(response) }
            }
        }
    }

    private func write(_ response: EndpointResponse) {
        guard let context, let request = machine.answerReady() else { return }
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(encode(response, for: request, allocator: context.channel.allocator))),
                              promise: nil)
        // Requests pipelined behind this one, in order; one may start another answer. The
        // router's async channel hands reads on at read-complete, so that follows bytes passed on.
        performActions(context: context)
        updatePhase(context: context)
    }

    /// The response as one buffer, written in one pass (`RawBytesWriter`): status line, the
    /// endpoint's fields, `Server`, `Baton-Worker`, `Content-Length`, `Connection` when it differs
    /// from the version's default, and the body.
    private func encode(_ response: EndpointResponse, for request: RequestFrame, allocator: ByteBufferAllocator) -> ByteBuffer {
        var size = 160 + serverName.utf8.count + (workerID?.utf8.count ?? 0) + response.status.reasonPhrase.utf8.count
            + response.body.count
        for field in response.headers { size += field.name.rawName.utf8.count + field.value.utf8.count + 4 }
        var buffer = allocator.buffer(capacity: size)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { output in
            var writer = RawBytesWriter(output)
            writer.write(request.minorVersion == 1 ? "HTTP/1.1 " : "HTTP/1.0 ")
            writer.write(decimal: response.status.code)
            writer.write(" ")
            writer.write(response.status.reasonPhrase)
            writer.write("\r\n")
            for field in response.headers {
                writer.write(field.name.rawName)
                writer.write(": ")
                writer.write(field.value)
                writer.write("\r\n")
            }
            writer.write("Server: ")
            writer.write(serverName)
            if let workerID {
                writer.write("\r\nBaton-Worker: ")
                writer.write(workerID)
            }
            writer.write("\r\nContent-Length: ")
            writer.write(decimal: response.body.count)
            if !request.keepAlive, request.minorVersion == 1 {
                writer.write("\r\nConnection: close")
            } else if request.keepAlive, request.minorVersion == 0 {
                writer.write("\r\nConnection: keep-alive")
            }
            writer.write("\r\n\r\n")
            writer.write(response.body)
            return writer.count
        }
        return buffer
    }

    /// Writes `error` as the connection's last answer (`Connection: close` on HTTP/1.1) and closes.
    private func answerAndClose(_ error: HTTPError, minorVersion: Int, context: ChannelHandlerContext) {
        let frame = RequestFrame(isTokenRequest: false, minorVersion: minorVersion, headLength: 0, contentLength: 0, keepAlive: false)
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(encode(.error(error), for: frame, allocator: context.channel.allocator))),
                              promise: nil)
        context.close(promise: nil)
    }

    // MARK: Deadlines

    /// Notes a change of phase; moves the timer earlier if the new phase's deadline comes sooner.
    private func updatePhase(context: ChannelHandlerContext) {
        let now = machine.phase
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
        switch machine.timedOut(in: phase) {
        case .answerAndClose(let error, let minorVersion): answerAndClose(error, minorVersion: minorVersion, context: context)
        default: context.close(promise: nil)
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
