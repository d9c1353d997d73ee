import BatonCore
import BatonRedis
import Hummingbird

/// `/healthz` (the process serves) and `/readyz` (Redis answers and a signing key is active).
struct HealthController<Context: RequestContext>: Sendable {
    let redis: RedisClient
    let keyring: Keyring

    func addRoutes(to router: Router<Context>) {
        router.get("/healthz") { _, _ in Response.json(Array(#"{"status":"ok"}"#.utf8), noStore: false) }
        router.get("/readyz") { _, _ in try await readiness() }
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
