import BatonLocalServers
import Testing
@testable import BatonRedis

@Suite struct RedisClientTests {
    @Test func roundTripsEveryReplyType() async throws {
        try await withRedis { _, client throws in
            #expect(try await client.send("PING") == .status("PONG"))
            #expect(try await client.send("SET", "k", "v") == .status("OK"))
            #expect(try await client.send("GET", "k") == .bulkString(Array("v".utf8)))
            #expect(try await client.send("GET", "missing") == .null)
            #expect(try await client.send("INCRBY", "n", "41") == .integer(41))
            #expect(try await client.send("RPUSH", "l", "a", "b") == .integer(2))
            #expect(try await client.send("LRANGE", "l", "0", "-1") == .array([.bulkString([0x61]), .bulkString([0x62])]))
        }
    }

    @Test func binaryValuesSurviveUnchanged() async throws {
        try await withRedis { _, client throws in
            let value = (0...255).map { UInt8($0) } + Array("\r\n$-1\r\n".utf8)
            var set = RedisCommand("SET", "bin")
            set.append(bytes: value)
            _ = try await client.send(set)
            #expect(try await client.send("GET", "bin").bytes == value)
        }
    }

    @Test func serverErrorsAreThrownWithTheServersMessage() async throws {
        try await withRedis { _, client throws in
            _ = try await client.send("SET", "s", "text")
            await #expect {
                try await client.send("INCR", "s")
            } throws: { error in
                let error = error as? RedisError
                return error?.code == .server && error?.message.hasPrefix("ERR value is not an integer") == true
            }
            // The connection stays usable after an error reply.
            #expect(try await client.send("GET", "s").string == "text")
        }
    }

    @Test func tenThousandConcurrentCommandsEachGetTheirOwnReply() async throws {
        try await withRedis(connections: 4) { _, client throws in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<10_000 {
                    group.addTask {
                        let reply = try await client.send("ECHO", "value-\(index)")
                        return reply.string == "value-\(index)"
                    }
                }
                var matched = 0
                for try await ok in group where ok { matched += 1 }
                #expect(matched == 10_000)
            }
        }
    }

    @Test func authenticatesAndSelectsTheDatabase() async throws {
        let server = try await RedisServer.start(password: "pa:ss@word")
        defer { server.stop() }
        let encoded = "redis://:pa%3Ass%40word@127.0.0.1:\(server.port)/5"
        let client = RedisClient(configuration: try RedisConfiguration(url: encoded))
        try await client.waitUntilConnected(timeout: .seconds(15))
        _ = try await client.send("SET", "in-five", "1")
        #expect(try await client.send("CLIENT", "INFO").string?.contains("db=5") == true)
        await client.shutdown()
    }

    @Test func wrongPasswordIsAClearConnectError() async throws {
        let server = try await RedisServer.start(password: "right")
        defer { server.stop() }
        let client = RedisClient(configuration: try RedisConfiguration(url: "redis://:wrong@127.0.0.1:\(server.port)"))
        await #expect {
            try await client.waitUntilConnected(timeout: .seconds(3))
        } throws: { error in
            let error = error as? RedisError
            return error?.code == .notConnected && error?.message.contains("WRONGPASS") == true
        }
        await client.shutdown()
    }

    @Test func connectsOverAUnixSocket() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let client = RedisClient(configuration: try RedisConfiguration(url: server.unixURL + "?db=1"))
        try await client.waitUntilConnected(timeout: .seconds(15))
        #expect(try await client.send("PING") == .status("PONG"))
        #expect(try await client.send("CLIENT", "INFO").string?.contains("db=1") == true)
        await client.shutdown()
    }

    @Test func failsFastWhenNothingListens() async throws {
        let port = try freeLoopbackPort()
        let client = RedisClient(configuration: try RedisConfiguration(url: "redis://127.0.0.1:\(port)"))
        let started = ContinuousClock.now
        await #expect {
            try await client.send("PING")
        } throws: { error in
            (error as? RedisError)?.code == .notConnected
        }
        #expect(ContinuousClock.now - started < .milliseconds(100))
        await client.shutdown()
    }

    @Test func commandsTimeOutWhenTheServerIsPaused() async throws {
        try await withRedis(connections: 1, commandTimeout: .milliseconds(300)) { server, client throws in
            server.pause()
            defer { server.resume() }
            let started = ContinuousClock.now
            await #expect {
                try await client.send("PING")
            } throws: { error in
                (error as? RedisError)?.code == .timeout
            }
            let waited = ContinuousClock.now - started
            #expect(waited >= .milliseconds(250) && waited < .seconds(2))
            server.resume()
            // The timed-out connection was closed and is re-established once the server answers.
            try await poll("the client to answer again", timeout: .seconds(5)) { (try? await client.send("PING")) == .status("PONG") }
        }
    }

    @Test func inFlightCommandsFailCleanlyWhenTheServerDies() async throws {
        try await withRedis(connections: 1) { server, client throws in
            let blocked = Task { try await client.send("BLPOP", "never", "5") }
            try await Task.sleep(for: .milliseconds(100))
            server.kill()
            await #expect {
                try await blocked.value
            } throws: { error in
                (error as? RedisError)?.code == .connectionClosed
            }
        }
    }

    @Test func reconnectsAfterAServerRestart() async throws {
        try await withRedis { server, client throws in
            _ = try await client.send("SET", "before", "1")
            server.kill()
            await #expect(throws: RedisError.self) { try await client.send("PING") }
            try await server.restart()
            try await poll("the client to answer again", timeout: .seconds(5)) { (try? await client.send("PING")) == .status("PONG") }
            try await poll("both connections to be up", timeout: .seconds(5)) { client.connectedCount == 2 }
        }
    }
}
