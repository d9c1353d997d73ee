import NIOCore
import NIOPosix

/// One keep-alive HTTP/1.1 connection of a loop: sends one request at a time, frames the answer
/// straight from the bytes read, and reconnects when the server closes. It survives reconnects;
/// each channel it opens is a new `generation`, and events of older ones are ignored.
final class LoadConnection: ResponseSink {
    /// The connection's index in its loop.
    let id: Int
    /// The target it talks to.
    let target: LoadTarget
    /// The requests for that target.
    let templates: RequestTemplates
    /// The request being built or sent; reused, so sending allocates nothing when NIO is done with it.
    var requestBuffer = ByteBuffer()
    /// The job in flight, if any.
    private(set) var job: Job?
    /// When the job in flight was sent (monotonic nanoseconds).
    private(set) var sentAt: UInt64 = 0
    /// Whether a channel is open (or opening).
    private(set) var isOpen = false

    private unowned let engine: LoopEngine
    private var handler: ResponseChannelHandler<LoadConnection>?
    private var generation = 0
    private var cumulation: ByteBuffer?
    private var closeReason: String?

    init(id: Int, target: LoadTarget, templates: RequestTemplates, engine: LoopEngine) {
        self.id = id
        self.target = target
        self.templates = templates
        self.engine = engine
        requestBuffer.reserveCapacity(1024)
    }

    /// Opens a channel; the engine hears `connected` or `connectFailed`.
    func connect() {
        generation += 1
        let generation = generation
        isOpen = true
        let bound = NIOLoopBound(self, eventLoop: engine.loop)
        ClientBootstrap(group: engine.loop)
            .connectTimeout(.seconds(5))
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let connection = bound.value
                    let handler = ResponseChannelHandler(sink: connection, generation: generation)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    connection.handler = handler
                }
            }
            .connect(host: target.host, port: target.port)
            .assumeIsolated()
            .whenComplete { result in
                guard generation == self.generation else { return }
                switch result {
                case .success:
                    self.engine.connected(self)
                case .failure(let error):
                    self.isOpen = false
                    self.handler = nil
                    self.engine.connectFailed(self, reason: "cannot connect to \(self.target): \(error)")
                }
            }
    }

    /// Sends the request in `requestBuffer` for `job`.
    func send(_ job: Job, now: UInt64) {
        self.job = job
        sentAt = now
        handler?.send(requestBuffer)
    }

    /// Forgets the job in flight (the run is being aborted) and returns it.
    func takeJob() -> Job? {
        defer { job = nil }
        return job
    }

    /// Closes the channel; a job in flight is reported lost with `reason`.
    func close(reason: String) {
        closeReason = reason
        handler?.close()
    }

    func received(_ incoming: ByteBuffer, generation: Int) {
        guard generation == self.generation else { return }
        var buffer: ByteBuffer
        if var pending = cumulation {
            cumulation = nil
            pending.writeImmutableBuffer(incoming)
            buffer = pending
        } else {
            buffer = incoming
        }
        while true {
            let parsed: ParsedResponse?
            do {
                parsed = try HTTPResponseParser.parse(&buffer)
            } catch {
                close(reason: error.description)
                return
            }
            guard let response = parsed else { break }
            guard let job else {
                close(reason: "a response arrived with no request in flight")
                return
            }
            self.job = nil
            engine.completed(self, job: job, response: response, reusable: response.keepAlive)
            guard response.keepAlive else {
                close(reason: "the server closed the connection")
                return
            }
            guard generation == self.generation, isOpen else { return }
        }
        if buffer.readableBytes > 0 { cumulation = buffer }
    }

    func closed(generation: Int) {
        guard generation == self.generation else { return }
        isOpen = false
        handler = nil
        cumulation = nil
        let lost = job
        job = nil
        let reason = closeReason ?? "the server closed the connection"
        closeReason = nil
        engine.disconnected(self, lost: lost, reason: reason)
    }
}
