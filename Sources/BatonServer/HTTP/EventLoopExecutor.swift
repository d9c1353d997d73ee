import NIOCore

/// Runs Swift tasks on one NIO event loop. The token endpoint's task prefers the executor of the
/// loop its connection lives on, so a refresh is decoded, handled, sent to Redis (on a connection
/// of the same loop) and answered without a hop to another thread. Routed requests keep the
/// default executor: an admin call may generate an RSA key, which must not stall a loop.
final class EventLoopExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
