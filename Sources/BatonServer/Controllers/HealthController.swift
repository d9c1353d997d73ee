import BatonCore
import BatonRedis
import Hummingbird

/// `/healthz` (the process serves), `/readyz` (Redis answers and a signing key is active) and
/// `/metrics` (Prometheus text format).
struct HealthController<Context: RequestContext>: Sendable {
    let redis: RedisClient
    let keyring: Keyring
    let metrics: BatonMetrics

    func addRoutes(to router: Router<Context>) {
        router.get("/healthz") { _, _ in Response.json(Array(#"{"status":"ok"}"#.utf8), noStore: false) }
        router.get("/readyz") { _, _ in try await readiness() }
        router.get("/metrics") { _, _ in
            metrics.keysetVersion.set(keyring.version)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render())))
        }
    }

    private func readiness() async throws -> Response {
        let redisUp = (try? await redis.send("PING")) == .status("PONG")
        let active = keyring.activeKey(at: WallClock.milliseconds() / 1000)
        var json = JSONWriter()
        json.member("status", redisUp && active != nil ? "ready" : "not_ready")
        json.member("redis", redisUp ? "ok" : "unreachable")
        json.member("keyset_version", keyring.version)
        if let active { json.member("active_kid", active.keyID) }
        return .json(json.finish(), status: redisUp && active != nil ? .ok : .serviceUnavailable, noStore: true)
    }
}
