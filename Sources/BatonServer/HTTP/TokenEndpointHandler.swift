import NIOCore
import NIOHTTP1

/// Answers `POST /oauth/token` on the connection's event loop, ahead of the router: the request
/// is read, handled (one Redis round trip on a connection of the same loop, one signature) and
/// written back without Hummingbird's async channel, router or middleware, which cost more than
/// the refresh itself. It sits right after NIO's HTTP/1 decoder, before the conversion to
/// HTTPTypes, which it does not need. Every other request passes through to the router unchanged.
///
/// HTTP/1.1 answers in request order, so a token request takes this path only when no routed
/// request is still being answered; behind one it is routed too (the router has the same
/// endpoint). While a token request is in flight, later pipelined requests wait; reads pause only
/// once a few of them are waiting (pausing costs two `epoll_ctl` calls, too many per request).
final class TokenEndpointHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Between requests.
        case idle
        /// Reading a token request's body (nil until its first part: a body that comes in one
        /// read is used as it is, not copied).
        case collecting(head: HTTPRequestHead, body: ByteBuffer?, tooLarge: Bool)
        /// A token request is being answered.
        case answering(head: HTTPRequestHead)
        /// Passing a routed request's parts on.
        case routing
    }

    private let endpoint: TokenEndpoint
    /// The executor of the connection's event loop, which answers run on.
    private let executor: EventLoopExecutor
    private let serverName: String
    private let workerID: String?
    private var state = State.idle
    /// Routed requests whose response has not been written completely yet.
    private var routedInFlight = 0
    /// Parts that arrived while a token request was being answered, replayed afterwards.
    private var waiting: [HTTPServerRequestPart] = []
    /// How many waiting parts make reads pause.
    private static let waitingLimit = 16
    private var readHeld = false
    /// A decoding error raised while a token request was being answered: the router answers it
    /// (400, close) only after that answer, to keep the responses in order.
    private var errorHeld: (any Error)?
    private var closeHeld: (mode: CloseMode, promise: EventLoopPromise<Void>?)?
    private var context: ChannelHandlerContext?

    init(endpoint: TokenEndpoint, executor: EventLoopExecutor, serverName: String, workerID: String?) {
        self.endpoint = endpoint
        self.executor = executor
        self.serverName = serverName
        self.workerID = workerID
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .answering = state {
            waiting.append(part)
        } else {
            handle(part, context: context)
        }
    }

    private func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch (state, part) {
        case (.idle, .head(let head)):
            if routedInFlight == 0, head.method == .POST, head.uri == TokenEndpoint.path {
                state = .collecting(head: head, body: nil, tooLarge: false)
            } else {
                routedInFlight += 1
                state = .routing
                context.fireChannelRead(wrapInboundOut(part))
            }
        case (.collecting(let head, var body, var tooLarge), .body(var chunk)):
            state = .idle  // drop the reference while appending, so `body` stays uniquely owned
            if tooLarge || (body?.readableBytes ?? 0) + chunk.readableBytes > endpoint.bodyLimit {
                tooLarge = true
                body = nil
            } else if body == nil {
                body = chunk
            } else {
                body!.writeBuffer(&chunk)
            }
            state = .collecting(head: head, body: body, tooLarge: tooLarge)
        case (.collecting(let head, let body, let tooLarge), .end):
            answer(head, body: body ?? ByteBuffer(), tooLarge: tooLarge, context: context)
        case (.routing, .end):
            state = .idle
            context.fireChannelRead(wrapInboundOut(part))
        default:
            // Routed parts, or a sequence the decoder would not produce: the router decides.
            context.fireChannelRead(wrapInboundOut(part))
        }
    }

    private func answer(_ head: HTTPRequestHead, body: ByteBuffer, tooLarge: Bool, context: ChannelHandlerContext) {
        state = .answering(head: head)
        let endpoint = self.endpoint
        let address = context.channel.remoteAddress
        let eventLoop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: eventLoop)
        let (contentType, authorization) = (head.headers.first(name: "content-type"), head.headers.first(name: "authorization"))
        Task(executorPreference: executor) {
            let response = await endpoint.respond(contentType: contentType, authorization: authorization, body: body,
                                                  bodyTooLarge: tooLarge, from: address)
            if eventLoop.inEventLoop {
                handler.value.write(response)
            } else {
                eventLoop.execute { handler.value.write(response) }
            }
        }
    }

    private func write(_ response: EndpointResponse) {
        guard case .answering(let request) = state, let context else { return }
        let closeAfter = !request.isKeepAlive
        var headers = HTTPHeaders()
        headers.reserveCapacity(response.headers.count + 4)
        for field in response.headers { headers.add(name: field.name.rawName, value: field.value) }
        headers.add(name: "server", value: serverName)
        if let workerID { headers.add(name: "baton-worker", value: workerID) }
        headers.add(name: "content-length", value: String(response.body.count))
        if closeAfter { headers.add(name: "connection", value: "close") }
        let head = HTTPResponseHead(version: request.version, status: HTTPResponseStatus(statusCode: response.status.code),
                                    headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        state = .idle

        if let held = closeHeld {
            closeHeld = nil
            context.close(mode: closeAfter ? .all : held.mode, promise: held.promise)
            return
        }
        if closeAfter {
            context.close(promise: nil)
            return
        }
        // Requests pipelined behind this one, in order; one may start another answer. The
        // router's async channel hands reads on at read-complete, so that follows a replay.
        if !waiting.isEmpty {
            while !waiting.isEmpty, !isAnswering {
                handle(waiting.removeFirst(), context: context)
            }
            context.fireChannelReadComplete()
        }
        if !isAnswering, let error = errorHeld {
            errorHeld = nil
            context.fireErrorCaught(error)
        }
        if !isAnswering, readHeld {
            readHeld = false
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if isAnswering {
            errorHeld = error
        } else {
            context.fireErrorCaught(error)
        }
    }

    private var isAnswering: Bool {
        if case .answering = state { return true }
        return false
    }

    // MARK: Outbound

    func read(context: ChannelHandlerContext) {
        if isAnswering, waiting.count >= Self.waitingLimit {
            readHeld = true
        } else {
            context.read()
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            routedInFlight = max(0, routedInFlight - 1)
        }
        context.write(data, promise: promise)
    }

    /// The router's connection handling closes idle connections (graceful shutdown, idle
    /// timeout); it does not see a token request being answered, so that close waits for it.
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if isAnswering, mode != .input {
            closeHeld = (mode, promise)
        } else {
            context.close(mode: mode, promise: promise)
        }
    }
}
