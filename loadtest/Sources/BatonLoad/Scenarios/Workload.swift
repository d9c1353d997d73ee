import NIOCore

/// What a scenario does on one event loop: which request comes next and how its answer is
/// judged. A workload lives on its loop and is never shared between loops.
protocol Workload: AnyObject {
    /// Whether the setup phase is finished (every user holds a session).
    var isSetUp: Bool { get }
    /// Whether `makeJob` has a request to make now; during setup only sessions are created.
    func hasWork(setup: Bool) -> Bool
    /// The next request, written into `buffer`; returns the user (or -1) and the operation.
    func makeJob(setup: Bool, templates: RequestTemplates, into buffer: inout ByteBuffer) -> (user: Int, operation: Operation)
    /// Judges the answer to a job and moves its user on.
    func complete(user: Int, operation: Operation, response: ParsedResponse, stats: LoopStats) -> Verdict
    /// The job got no answer (a transport error): its user tries again later.
    func abandon(user: Int, operation: Operation)
}
