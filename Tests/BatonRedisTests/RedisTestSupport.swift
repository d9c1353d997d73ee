import BatonRedis
import BatonLocalServers

/// Runs `body` with a fresh redis-server and a connected client, and stops both afterwards.
func withRedis<T>(
    password: String? = nil,
    connections: Int = 2,
    commandTimeout: Duration = .seconds(2),
    _ body: (RedisServer, RedisClient) async throws -> T
) async throws -> T {
    let server = try await RedisServer.start(password: password)
    defer { server.stop() }
    var configuration = try RedisConfiguration(url: server.url)
    configuration.connectionCount = connections
    configuration.commandTimeout = commandTimeout
    let client = RedisClient(configuration: configuration)
    do {
        try await client.waitUntilConnected(timeout: .seconds(15))  // generous: the whole suite starts at once
        let result = try await body(server, client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}

/// Retries `condition` every 10 ms until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(5), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}

extension RedisError {
    /// Whether this error means "the server did not answer in time or is out of reach".
    var isUnavailability: Bool { [.timeout, .notConnected, .connectionClosed].contains(code) }
}
