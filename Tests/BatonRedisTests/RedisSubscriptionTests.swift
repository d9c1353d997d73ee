import BatonLocalServers
import Testing
@testable import BatonRedis

@Suite struct RedisSubscriptionTests {
    @Test func deliversMessagesOnSubscribedChannels() async throws {
        try await withRedis { _, client throws in
            let subscription = client.subscribe(to: ["a", "b"])
            var events = subscription.makeAsyncIterator()
            #expect(await events.next() == .subscribed(resubscription: false))
            #expect(try await client.send("PUBLISH", "a", "one") == .integer(1))
            _ = try await client.send("PUBLISH", "elsewhere", "ignored")
            _ = try await client.send("PUBLISH", "b", "two")
            #expect(await events.next() == .message(channel: "a", payload: Array("one".utf8)))
            #expect(await events.next() == .message(channel: "b", payload: Array("two".utf8)))
            subscription.cancel()
            #expect(await events.next() == nil)
        }
    }

    @Test func resubscribesAfterClientKillAndSaysSo() async throws {
        try await withRedis { _, client throws in
            let subscription = client.subscribe(to: ["control"])
            var events = subscription.makeAsyncIterator()
            #expect(await events.next() == .subscribed(resubscription: false))
            #expect(try await client.send("CLIENT", "KILL", "TYPE", "pubsub") == .integer(1))
            #expect(await events.next() == .subscribed(resubscription: true))
            _ = try await client.send("PUBLISH", "control", "after")
            #expect(await events.next() == .message(channel: "control", payload: Array("after".utf8)))
            subscription.cancel()
        }
    }

    @Test func resubscribesAfterAServerRestart() async throws {
        try await withRedis { server, client throws in
            let subscription = client.subscribe(to: ["control"])
            var events = subscription.makeAsyncIterator()
            #expect(await events.next() == .subscribed(resubscription: false))
            server.kill()
            try await server.restart()
            #expect(await events.next() == .subscribed(resubscription: true))
            subscription.cancel()
        }
    }

    @Test func noticesAFrozenServerThroughPing() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        var configuration = try RedisConfiguration(url: server.url)
        configuration.subscriberHealthCheckInterval = .milliseconds(100)
        configuration.connectTimeout = .milliseconds(200)
        let client = RedisClient(configuration: configuration)
        try await client.waitUntilConnected(timeout: .seconds(15))
        let subscription = client.subscribe(to: ["control"])
        var events = subscription.makeAsyncIterator()
        #expect(await events.next() == .subscribed(resubscription: false))
        server.pause()
        try await Task.sleep(for: .milliseconds(500))
        server.resume()
        // The frozen connection failed its PING check and was replaced.
        #expect(await events.next() == .subscribed(resubscription: true))
        subscription.cancel()
        await client.shutdown()
    }
}
