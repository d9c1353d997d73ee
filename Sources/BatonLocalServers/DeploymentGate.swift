/// At most two multi-process Redis deployments (a cluster, a Sentinel deployment) alive at once in
/// this process: each is six or more servers, and tests that start them all at once starve two
/// cores. `RedisClusterServers` and `RedisSentinelServers` take a permit on start and return it on
/// stop; a test whose checks bound latency takes every permit (`withEveryPermit`), so no such
/// deployment forms while it runs.
public actor DeploymentGate {
    /// The process's gate.
    public static let shared = DeploymentGate(permits: 2)

    private let permits: Int
    private var available: Int
    private var waiting: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    private init(permits: Int) {
        self.permits = permits
        available = permits
    }

    /// Runs `body` while holding every permit.
    public func withEveryPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        await acquire(permits)
        do {
            let result = try await body()
            release(permits)
            return result
        } catch {
            release(permits)
            throw error
        }
    }

    /// Takes `count` permits at once, waiting until that many are free.
    func acquire(_ count: Int = 1) async {
        if available >= count {
            available -= count
            return
        }
        await withCheckedContinuation { waiting.append((count, $0)) }
    }

    /// Returns `count` permits and wakes every waiter they now satisfy (in arrival order, skipping
    /// those that need more: a waiter for one permit never waits behind one that needs all).
    func release(_ count: Int = 1) {
        available += count
        var index = 0
        while index < waiting.count {
            if waiting[index].count <= available {
                available -= waiting[index].count
                waiting.remove(at: index).continuation.resume()
            } else {
                index += 1
            }
        }
    }
}
