import NIOCore

/// Receives what one connection reads, on its event loop.
protocol ResponseSink: AnyObject {
    /// Bytes arrived on the connection of `generation`.
    func received(_ buffer: ByteBuffer, generation: Int)
    /// The connection of `generation` closed.
    func closed(generation: Int)
}

/// The only handler in a harness connection's pipeline: hands raw bytes to its sink and writes
/// request bytes as they are. No HTTP codec: the sink frames responses itself.
final class ResponseChannelHandler<Sink: ResponseSink>: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let sink: Sink
    private let generation: Int
    private var context: ChannelHandlerContext?

    init(sink: Sink, generation: Int) {
        self.sink = sink
        self.generation = generation
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        sink.received(unwrapInboundIn(data), generation: generation)
    }

    func channelInactive(context: ChannelHandlerContext) {
        sink.closed(generation: generation)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Writes and flushes `buffer`.
    func send(_ buffer: ByteBuffer) {
        context?.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    /// Closes the connection.
    func close() {
        context?.close(promise: nil)
    }
}
