import BatonAuth
import BatonCore
import Hummingbird

/// `/healthz` (the process serves), `/readyz` (Redis answers and a signing key is active) and
/// `/metrics` (Prometheus text format).
struct HealthController<Context: RequestContext>: Sendable {
    let health: any StoreHealth
    let keyring: Keyring
    let clock: any WallClock
    let metrics: BatonMetrics

    func addRoutes(to router: Router<Context>) {
        router.get("/healthz") { _, _ in Response.json(Array(#"{"status":"ok"}"#.utf8), noStore: false) }
        router.get("/readyz") { _, _ in try await readiness() }
        router.get("/metrics") { _, _ in
            metrics.keysetLoaded(version: keyring.version)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render())))
        }
    }

    private func readiness() async throws -> Response {
        let redisUp = await health.isReachable()
        let active = keyring.activeKey(at: clock.seconds())
        var json = JSONWriter()
        json.member("status", redisUp && active != nil ? "ready" : "not_ready")
        json.member("redis", redisUp ? "ok" : "unreachable")
        json.member("keyset_version", keyring.version)
        if let active { json.member("active_kid", active.keyID) }
        return .json(json.finish(), status: redisUp && active != nil ? .ok : .serviceUnavailable, noStore: true)
    }
}
