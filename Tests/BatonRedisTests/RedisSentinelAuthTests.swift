import BatonLocalServers
import Testing
@testable import BatonRedis

/// Sentinels with their own password (`requirepass`, given as `sentinel_password`) in front of
/// servers with another: the right pair reaches the primary; a wrong sentinel password never
/// learns it, and the error says why without repeating a password.
@Suite struct RedisSentinelAuthTests {
    @Test func passwordsOnTheSentinelsAndOnTheServers() async throws {
        let deployment = try await RedisSentinelServers.start(password: "data-pw", sentinelPassword: "sentinel-pw")
        defer { deployment.stop() }
        #expect(deployment.url.hasSuffix("/baton?sentinel_password=sentinel-pw") && deployment.url.contains("://:data-pw@"))

        let client = try RedisTopology(url: deployment.url).connect()
        do {
            try await client.waitUntilReady(timeout: .seconds(20))
            #expect(try await client.send(RedisCommand("SET", "k", "v"), key: "k") == .status("OK"))
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()

        let wrongURL = deployment.url.replacingOccurrences(of: "sentinel_password=sentinel-pw", with: "sentinel_password=nope")
        let wrong = try RedisTopology(url: wrongURL).connect()
        do {
            try await wrong.waitUntilReady(timeout: .seconds(2))
            Issue.record("reached a primary with a wrong sentinel password")
        } catch let error as RedisError {
            #expect(error.code == .notConnected && !error.description.contains("pw"), "\(error)")
        }
        await wrong.shutdown()
    }
}
