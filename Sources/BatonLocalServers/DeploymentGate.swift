/// At most two multi-process Redis deployments (a cluster, a Sentinel deployment) alive at once in
/// this process: each is six or more servers, and tests that start them all at once starve two
/// cores. `RedisClusterServers` and `RedisSentinelServers` take a permit on start and return it on
/// stop; a start waits for one.
actor DeploymentGate {
    static let shared = DeploymentGate(permits: 2)

    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    private init(permits: Int) {
        available = permits
    }

    /// Takes a permit, waiting for one if none is free.
    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Returns a permit (to the longest waiter, if any).
    func release() {
        if waiting.isEmpty { available += 1 } else { waiting.removeFirst().resume() }
    }
}
