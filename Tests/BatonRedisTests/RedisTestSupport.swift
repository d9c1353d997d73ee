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

extension RedisError {
    /// Whether this error means "the server did not answer in time or is out of reach".
    var isUnavailability: Bool { [.timeout, .notConnected, .connectionClosed].contains(code) }
}
