@testable import BatonLoad
import NIOCore

/// Synthetic responses and request plumbing for the unit tests.
enum TestResponses {
    static func json(_ status: Int, _ body: String) -> ParsedResponse {
        ParsedResponse(status: status, body: ByteBuffer(string: body))
    }

    static func token(_ refreshToken: String, status: Int = 200) -> ParsedResponse {
        json(status, #"{"access_token":"eyJ.e.s","token_type":"Bearer","expires_in":300,"refresh_token":"\#(refreshToken)"}"#)
    }

    static let invalidGrant = json(400, #"{"error":"invalid_grant","error_description":"the refresh token is invalid, expired or revoked"}"#)

    static let unavailable = json(503, #"{"error":"temporarily_unavailable","error_description":"the session store is unavailable"}"#)

    static let invalidDPoPProof = json(400, #"{"error":"invalid_dpop_proof","error_description":"the DPoP proof's key is not the one the refresh token is bound to"}"#)

    /// 400 `use_dpop_nonce` with `nonce` in `DPoP-Nonce` (RFC 9449 §8).
    static func useDPoPNonce(_ nonce: String) -> ParsedResponse {
        var response = json(400, #"{"error":"use_dpop_nonce","error_description":"a DPoP nonce is required"}"#)
        response.dpopNonce = ByteBuffer(string: nonce)
        return response
    }

    static let templates = RequestTemplates(target: try! LoadTarget(parsing: "http://127.0.0.1:8080"), appClientID: "app",
                                            loginAuthorization: "Basic bG9naW46c2VjcmV0")
}

extension Workload {
    /// Makes the next job and returns it with its request as text.
    func nextJob(setup: Bool = false) -> (user: Int, operation: Operation, request: String) {
        var buffer = ByteBuffer()
        let (user, operation) = makeJob(setup: setup, templates: TestResponses.templates, into: &buffer)
        return (user, operation, String(buffer: buffer))
    }
}

extension Workload {
    /// Makes the next job, answers it with `response` and, as the engine does for measured jobs,
    /// records the verdict.
    @discardableResult
    func play(_ response: ParsedResponse, stats: LoopStats, setup: Bool = false)
        -> (operation: Operation, request: String, verdict: Verdict) {
        let job = nextJob(setup: setup)
        let verdict = complete(user: job.user, operation: job.operation, response: response, stats: stats)
        if !setup { stats.record(job.operation, latencyNanoseconds: 1_000, verdict: verdict) }
        return (job.operation, job.request, verdict)
    }
}
