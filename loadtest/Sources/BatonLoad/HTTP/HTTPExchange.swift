import NIOCore
import NIOPosix

/// One request and its response on a connection of its own: for setup, the admin API and JWKS
/// fetches, never on the hot path.
///
/// ```swift
/// let response = try await HTTPExchange.send(
///     HTTPRequestWriter.request("GET", target: target, path: "/healthz"), to: target)
/// ```
public enum HTTPExchange {
    /// Sends `request` to `target` on a new connection of `eventLoop` and completes with the
    /// response, or fails after `timeout`.
    public static func send(_ request: ByteBuffer, to target: LoadTarget, on eventLoop: any EventLoop,
                            timeout: TimeAmount = .seconds(10)) -> EventLoopFuture<ParsedResponse> {
        let promise = eventLoop.makePromise(of: ParsedResponse.self)
        let connected = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = ResponseChannelHandler(sink: ExchangeSink(promise: promise), generation: 0)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: target.host, port: target.port)
        connected.whenComplete { result in
            switch result {
            case .success(let channel):
                channel.writeAndFlush(request, promise: nil)
                let timer = eventLoop.scheduleTask(in: timeout) {
                    promise.fail(LoadError.setup("\(target) did not answer within \(timeout.nanoseconds / 1_000_000) ms"))
                }
                promise.futureResult.whenComplete { _ in
                    timer.cancel()
                    channel.close(promise: nil)
                }
            case .failure(let error):
                promise.fail(LoadError.setup("cannot connect to \(target): \(error)"))
            }
        }
        return promise.futureResult
    }

    /// Sends `request` to `target` and returns the response.
    public static func send(_ request: ByteBuffer, to target: LoadTarget, timeout: TimeAmount = .seconds(10)) async throws -> ParsedResponse {
        try await send(request, to: target, on: MultiThreadedEventLoopGroup.singleton.next(), timeout: timeout).get()
    }
}

/// Collects the one response of an exchange.
private final class ExchangeSink: ResponseSink {
    private let promise: EventLoopPromise<ParsedResponse>
    private var buffer: ByteBuffer?

    init(promise: EventLoopPromise<ParsedResponse>) {
        self.promise = promise
    }

    func received(_ bytes: ByteBuffer, generation: Int) {
        var collected = buffer ?? ByteBuffer()
        buffer = nil
        var incoming = bytes
        collected.writeBuffer(&incoming)
        do {
            if let response = try HTTPResponseParser.parse(&collected) {
                promise.succeed(response)
            } else {
                buffer = collected
            }
        } catch {
            promise.fail(error)
        }
    }

    func closed(generation: Int) {
        promise.fail(LoadError.setup("the connection closed before a complete response arrived"))
    }
}
