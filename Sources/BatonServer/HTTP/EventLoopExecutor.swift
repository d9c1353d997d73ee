import NIOCore

/// Runs Swift tasks on one NIO event loop. A connection's request handling prefers the executor of
/// the loop its socket lives on, so a request is decoded, handled, sent to Redis (on a connection
/// of the same loop) and answered without a hop to another thread.
final class EventLoopExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// One executor per loop of `group`, looked up by the loop a channel runs on.
    static func perLoop(of group: any EventLoopGroup) -> [ObjectIdentifier: EventLoopExecutor] {
        var executors: [ObjectIdentifier: EventLoopExecutor] = [:]
        for eventLoop in group.makeIterator() {
            executors[ObjectIdentifier(eventLoop)] = EventLoopExecutor(eventLoop)
        }
        return executors
    }
}
