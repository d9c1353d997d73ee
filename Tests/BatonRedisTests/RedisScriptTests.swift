import BatonLocalServers
import Testing
@testable import BatonRedis

@Suite struct RedisScriptTests {
    private let increment = "return redis.call('INCRBY', KEYS[1], ARGV[1])"

    @Test func runsWithEVALSHAAndLearnsTheSHA() async throws {
        try await withRedis { _, client throws in
            let script = RedisScript(increment)
            #expect(try await client.evaluate(script, keys: ["counter"], arguments: ["2"]) == .integer(2))
            #expect(script.sha?.count == 40)
            #expect(try await client.evaluate(script, keys: ["counter"], arguments: ["3"]) == .integer(5))
        }
    }

    @Test func reloadsTransparentlyAfterScriptFlush() async throws {
        try await withRedis { _, client throws in
            let script = RedisScript(increment)
            _ = try await client.evaluate(script, keys: ["c"], arguments: ["1"])
            _ = try await client.send("SCRIPT", "FLUSH")
            #expect(try await client.send("SCRIPT", "EXISTS", script.sha!) == .array([.integer(0)]))
            #expect(try await client.evaluate(script, keys: ["c"], arguments: ["1"]) == .integer(2))
        }
    }

    @Test func reloadsTransparentlyAfterAServerRestart() async throws {
        try await withRedis { server, client throws in
            let script = RedisScript(increment)
            _ = try await client.evaluate(script, keys: ["c"], arguments: ["1"])
            server.kill()
            try await server.restart()
            // A connection to the old process may fail one command before its close is seen;
            // the first command that reaches the new server finds no script there and reloads it.
            var result: RedisValue?
            try await poll("the script to run on the restarted server", timeout: .seconds(5)) {
                result = try? await client.evaluate(script, keys: ["c"], arguments: ["7"])
                return result != nil
            }
            #expect(result == .integer(7))
        }
    }

    @Test func passesBinaryArguments() async throws {
        try await withRedis { _, client throws in
            let script = RedisScript("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('STRLEN', KEYS[1])")
            let bytes: [UInt8] = [0, 1, 2, 255]
            #expect(try await client.evaluate(script, keys: ["b"], binaryArguments: [bytes]) == .integer(4))
            #expect(try await client.send("GET", "b").bytes == bytes)
        }
    }

    @Test func scriptErrorsAreThrown() async throws {
        try await withRedis { _, client throws in
            let script = RedisScript("return redis.error_reply('BADTHING it broke')")
            await #expect {
                try await client.evaluate(script, keys: [])
            } throws: { error in
                (error as? RedisError)?.serverErrorPrefix == "BADTHING"
            }
        }
    }
}
