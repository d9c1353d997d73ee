import NIOCore

/// `healthz`: `GET /healthz` with no users and no state, the same bytes every time; the
/// harness's own cost, compared with wrk's.
final class HealthzWorkload: Workload {
    var isSetUp: Bool { true }

    func hasWork(setup: Bool) -> Bool { !setup }

    func makeJob(setup: Bool, templates: RequestTemplates, into buffer: inout ByteBuffer) -> (user: Int, operation: Operation) {
        buffer = templates.healthz
        return (-1, .healthz)
    }

    func complete(user: Int, operation: Operation, response: ParsedResponse, stats: LoopStats) -> Verdict {
        response.status == 200 ? .success : .unexpectedStatus
    }

    func abandon(user: Int, operation: Operation) {}
}
