import NIOCore
import NIOEmbedded
import NIOHTTP1
import Synchronization
import Testing
@testable import BatonServer

/// `TokenEndpointHandler` on NIO's `EmbeddedChannel`, byte by byte, with NIO's HTTP/1 decoder and
/// encoder behind it and a router stand-in (`RoutedResponder`) that answers every request it gets
/// with `routed <method> <uri>`; token answers echo the body they were given (`EchoEndpoint`).
/// What the raw-socket tests (`TokenEndpointHandlerTests`) show against a worker, shown here at
/// every split of the bytes and with the answers' timing in the test's hands.
@Suite struct TokenPathEmbeddedTests {
    /// The token endpoint: answers 200 with `echo:<body>`, optionally only once `release()` is called.
    final class EchoEndpoint: TokenAnswering {
        let bodyLimit: Int
        private let held: Bool
        private let waiting = Mutex<[CheckedContinuation<Void, Never>]>([])
        let counts = Mutex<[String: Int]>([:])

        init(bodyLimit: Int = 64, held: Bool = false) {
            self.bodyLimit = bodyLimit
            self.held = held
        }

        func respond(contentType: String?, authorization: String?, dpop: [String], body: ByteBuffer, bodyTooLarge: Bool,
                     from address: SocketAddress?) async -> EndpointResponse {
            if held { await withCheckedContinuation { continuation in waiting.withLock { $0.append(continuation) } } }
            if bodyTooLarge { return .error(HTTPError.bodyTooLarge) }
            return .json(Array("echo:".utf8) + Array(buffer: body))
        }

        /// Lets the held answers go.
        func release() {
            for continuation in waiting.withLock({ held in defer { held = [] }; return held }) { continuation.resume() }
        }

        var heldAnswers: Int { waiting.withLock { $0.count } }

        private func count(_ name: String) { counts.withLock { $0[name, default: 0] += 1 } }
        func recordOversizedRoutedRequest() { count("oversized") }
        func recordTimeout(_ phase: ConnectionPhase) { count("timeout-\(phase.rawValue)") }
        func recordRefusedConnection() { count("refused") }
        func recordAbort() { count("abort") }
    }

    /// The router's stand-in: answers each request once it is whole, in order; while `holding`,
    /// whole requests wait for `answerHeld()`. Closes the connection when the input ends.
    final class RoutedResponder: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        var holding = false
        private(set) var seen: [String] = []
        private var head: HTTPRequestHead?
        private var bodyBytes = 0
        private var held: [(HTTPRequestHead, Int)] = []
        private var context: ChannelHandlerContext?

        func handlerAdded(context: ChannelHandlerContext) { self.context = context }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                bodyBytes = 0
            case .body(let body):
                bodyBytes += body.readableBytes
            case .end:
                guard let head else { return }
                seen.append("\(head.method) \(head.uri)")
                if holding { held.append((head, bodyBytes)) } else { answer(head, bodyBytes) }
            }
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .some(.inputClosed) = event as? ChannelEvent { context.close(promise: nil) }
        }

        func answerHeld() {
            holding = false
            for (head, bytes) in held { answer(head, bytes) }
            held = []
        }

        private func answer(_ head: HTTPRequestHead, _ bytes: Int) {
            guard let context else { return }
            let body = context.channel.allocator.buffer(string: "routed \(head.method) \(head.uri) \(bytes)")
            var headers = HTTPHeaders([("Content-Length", String(body.readableBytes))])
            if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            if !head.isKeepAlive { context.close(promise: nil) }
        }
    }

    /// A connection: the channel, its handlers and everything written back so far.
    final class Connection {
        let channel = EmbeddedChannel()
        let endpoint: EchoEndpoint
        let router = RoutedResponder()
        private var written: [UInt8] = []

        init(endpoint: EchoEndpoint = EchoEndpoint()) throws {
            self.endpoint = endpoint
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(HTTPResponseEncoder())
            try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)))
            try pipeline.addHandler(router)
            let limits = ConnectionLimits(keepAliveTimeout: .seconds(60), headerTimeout: .seconds(10), bodyTimeout: .seconds(30),
                                          maxConnections: 10)
            try TokenEndpointHandler.add(to: pipeline, endpoint: endpoint, executor: EventLoopExecutor(channel.eventLoop),
                                         serverName: "baton", workerID: nil, limits: limits, gauge: ConnectionGauge())
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        }

        /// Sends `text`'s bytes in pieces of `piece` bytes, running the loop after each.
        func send(_ text: String, piece: Int = .max) throws {
            let bytes = Array(text.utf8)
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + piece)
                try channel.writeInbound(channel.allocator.buffer(bytes: bytes[start..<end]))
                run()
                start = end
            }
        }

        /// Runs what the loop has queued (the answers' tasks) until nothing more happens.
        func run() {
            for _ in 0..<10 { channel.embeddedEventLoop.run() }
        }

        /// The responses written so far, each as `<status> <body>`, and the bytes left over.
        func responses() throws -> [String] {
            while let data = try channel.readOutbound(as: IOData.self) {
                guard case .byteBuffer(let buffer) = data else { continue }
                written += Array(buffer: buffer)
            }
            return try Self.parse(written)
        }

        static func parse(_ bytes: [UInt8]) throws -> [String] {
            var responses: [String] = []
            var rest = bytes[...]
            while let end = rest.firstRange(of: Array("\r\n\r\n".utf8)) {
                let head = String(decoding: rest[..<end.lowerBound], as: UTF8.self)
                let lines = head.split(separator: "\r\n")
                let status = lines[0].split(separator: " ")[1]
                let length = lines.first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                let bodyEnd = end.upperBound + length
                guard bodyEnd <= rest.endIndex else { break }
                responses.append("\(status) " + String(decoding: rest[end.upperBound..<bodyEnd], as: UTF8.self))
                rest = rest[bodyEnd...]
            }
            return responses
        }
    }

    private static func token(_ body: String, close: Bool = false, length: Int? = nil) -> String {
        "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Content-Length: \(length ?? body.utf8.count)\r\n\(close ? "Connection: close\r\n" : "")\r\n\(body)"
    }

    private static func get(_ path: String, close: Bool = false) -> String {
        "GET \(path) HTTP/1.1\r\nHost: x\r\n\(close ? "Connection: close\r\n" : "")\r\n"
    }

    @Test(arguments: [1, 2, 7, 1000])
    func aTokenRequestInPiecesOfAnySizeIsAnsweredOnceWhole(piece: Int) throws {
        let connection = try Connection()
        try connection.send(Self.token("grant_type=refresh_token&a=1") + Self.token("b=2"), piece: piece)
        #expect(try connection.responses() == ["200 echo:grant_type=refresh_token&a=1", "200 echo:b=2"])
        #expect(connection.router.seen.isEmpty, "no token request reached the decoder")
        #expect(connection.channel.isActive)
    }

    @Test(arguments: [1, 5, 1000])
    func pipelinedRequestsOnBothPathsAreAnsweredInOrder(piece: Int) throws {
        let connection = try Connection()
        try connection.send(Self.get("/healthz") + Self.token("a=1") + Self.get("/nope") + Self.token("b=2")
                            + Self.get("/last", close: true), piece: piece)
        #expect(try connection.responses() == ["200 routed GET /healthz 0", "200 echo:a=1", "200 routed GET /nope 0", "200 echo:b=2",
                                              "200 routed GET /last 0"])
        #expect(connection.router.seen == ["GET /healthz", "GET /nope", "GET /last"])
        #expect(!connection.channel.isActive, "Connection: close ended it")
    }

    @Test func aTokenRequestBehindARoutedOneInFlightIsRoutedToo() throws {
        let connection = try Connection()
        connection.router.holding = true
        try connection.send(Self.get("/slow") + Self.token("a=1"))
        #expect(try connection.responses().isEmpty)
        // HTTP/1.1 answers in order: the token request went to the router, which has it next.
        #expect(connection.router.seen == ["GET /slow", "POST /oauth/token"])
        connection.router.answerHeld()
        connection.run()
        #expect(try connection.responses() == ["200 routed GET /slow 0", "200 routed POST /oauth/token 3"])
        // Once the routed answers are written, token requests take the event-loop path again.
        try connection.send(Self.token("b=2"))
        #expect(try connection.responses().last == "200 echo:b=2")
    }

    @Test func bytesBehindATokenAnswerInFlightWaitForIt() throws {
        let connection = try Connection(endpoint: EchoEndpoint(held: true))
        try connection.send(Self.token("a=1") + Self.get("/next") + Self.token("b=2"), piece: 3)
        #expect(try connection.responses().isEmpty)
        #expect(connection.router.seen.isEmpty, "the routed request waits behind the token answer")
        #expect(connection.endpoint.heldAnswers == 1)
        connection.endpoint.release()
        connection.run()
        #expect(connection.endpoint.heldAnswers == 1, "the second token request is being answered")
        connection.endpoint.release()
        connection.run()
        #expect(try connection.responses() == ["200 echo:a=1", "200 routed GET /next 0", "200 echo:b=2"])
    }

    @Test(arguments: [1, 1000])
    func anOversizedBodyIsRefusedWith413AndTheConnectionGoesOn(piece: Int) throws {
        let connection = try Connection(endpoint: EchoEndpoint(bodyLimit: 8))
        let large = String(repeating: "x", count: 100)
        try connection.send(Self.token(large) + Self.token("a=1"), piece: piece)
        let responses = try connection.responses()
        #expect(responses.count == 2)
        #expect(responses.first?.hasPrefix("413 ") == true && responses.first?.contains("request_too_large") == true, "\(responses)")
        #expect(responses.last == "200 echo:a=1")
        #expect(connection.channel.isActive)
        // A routed request over the limit is refused before its body is read, and counted.
        try connection.send("POST /other HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + large + Self.get("/after"), piece: piece)
        let more = try connection.responses().dropFirst(2)
        #expect(more.first?.hasPrefix("413 ") == true && more.last == "200 routed GET /after 0", "\(more)")
        #expect(connection.router.seen == ["GET /after"])
        #expect(connection.endpoint.counts.withLock { $0["oversized"] } == 1)
    }

    @Test func aHalfCloseAfterWholeRequestsStillGetsEveryAnswer() throws {
        let connection = try Connection(endpoint: EchoEndpoint(held: true))
        try connection.send(Self.token("a=1") + Self.get("/after"))
        connection.channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        connection.run()
        #expect(connection.channel.isActive, "the answer in flight is not cut off")
        connection.endpoint.release()
        connection.run()
        #expect(try connection.responses() == ["200 echo:a=1", "200 routed GET /after 0"])
        #expect(!connection.channel.isActive, "then the end of input reached the router, which closed")
    }

    @Test func aHalfCloseInsideATokenBodyIsA400AndTheEnd() throws {
        let connection = try Connection()
        try connection.send(Self.token("a=1", length: 10))
        #expect(try connection.responses().isEmpty)
        connection.channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        connection.run()
        let responses = try connection.responses()
        #expect(responses.count == 1 && responses[0].hasPrefix("400 "), "\(responses)")
        #expect(!connection.channel.isActive)
        #expect(connection.endpoint.counts.withLock { $0["abort"] } == 1)
    }

    @Test func aRequestToSwitchProtocolsIsRefusedAndTheConnectionClosed() throws {
        let connection = try Connection()
        try connection.send("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n" + Self.token("a=1"))
        let responses = try connection.responses()
        #expect(responses.count == 1 && responses[0].hasPrefix("400 "), "\(responses)")
        #expect(!connection.channel.isActive)
        #expect(connection.router.seen.isEmpty)
    }
}
