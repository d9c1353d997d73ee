import BatonRedis
import BatonSystem
import BatonLocalServers
import BatonTesting
import Foundation
import Testing
@testable import baton_bench

/// `baton-floor` (loadtest/floor) against a real redis-server: it must do a whole refresh per
/// request, and fail loudly rather than measure anything else.
@Suite struct FloorServersTests {
    static let binary = builtExecutable("baton-floor", overriddenBy: "BATON_FLOOR_BINARY")

    @Test func everyRequestIsAnsweredWithARotationAndASignedToken() async throws {
        try await withFloor(families: 2) { servers, redis in
            for request in 1...3 {
                let response = try await Self.refresh(port: servers.port)
                #expect(response.status == 200)
                #expect(response.headers["content-type"] == "application/json")
                let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
                let accessToken = try #require(body["access_token"] as? String)
                let parts = accessToken.split(separator: ".")
                #expect(parts.count == 3)
                let header = try #require(Data(base64URL: String(parts[0])))
                #expect(String(decoding: header, as: UTF8.self).contains(#""alg":"ES256""#))
                // Raw r||s: 64 bytes, 86 base64url characters.
                #expect(parts[2].count == 86)
                let claims = try #require(Data(base64URL: String(parts[1])))
                // Families are taken in turn: requests 1 and 2 rotate them to generation 1, request 3 to 2.
                #expect(String(decoding: claims, as: UTF8.self).contains(#""gen":\#(request == 3 ? 2 : 1)"#))
                #expect((body["refresh_token"] as? String)?.hasPrefix("rt1.") == true)
            }
            #expect(try await BenchFamilies.sumOfGenerations(2, redis: redis) == 3)
            try servers.ensureRunning()
        }
    }

    @Test func aReplyOtherThanRotateEndsTheFloorWithItsReason() async throws {
        // No families: the script answers `unknown_family`.
        try await withFloor(families: 0, floorFamilies: 5) { servers, _ in
            _ = try? await Self.refresh(port: servers.port)
            let status = await servers.processes[0].waitForExit()
            #expect(ChildProcess.exitCode(status) == 1)
            let error = #expect(throws: LocalServerError.self) { try servers.ensureRunning() }
            #expect(error?.description.contains("did not rotate") == true)
            #expect(error?.description.contains("unknown_family") == true)
        }
    }

    @Test func aBodyTooLargeToFrameDropsTheClientAndTheFloorGoesOn() async throws {
        try await withFloor(families: 1) { servers, _ in
            // Content-Length 2^64 - 1: dropped, not added to the head's length (which would wrap).
            let script = """
                import socket, sys
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
                s.sendall(b"POST /oauth/token HTTP/1.1\\r\\nContent-Length: 18446744073709551615\\r\\n\\r\\nx")
                s.settimeout(5)
                print(len(s.recv(65536)))
                """
            let received = try await PythonScript.run(script, arguments: [String(servers.port)])
            #expect(received.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "closed without an answer")
            try servers.ensureRunning()
            #expect(try await Self.refresh(port: servers.port).status == 200)
        }
    }

    @Test func missingOptionsAreRefusedWithWhatIsNeeded() async throws {
        let (status, output) = try await runToCompletion(Self.binary, ["--port", "1"], timeout: .seconds(10))
        #expect(status == 1)
        #expect(output.contains("needs --port, --redis-socket"))
    }

    /// A redis-server with the benchmark function and `families` families, one floor process on
    /// it (taking `floorFamilies` in turn), and a client of that Redis.
    private func withFloor(families: Int, floorFamilies: Int? = nil,
                           _ body: (FloorServers, RedisClient) async throws -> Void) async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let redis = RedisClient(configuration: try RedisConfiguration(url: server.unixURL))
        do {
            try await redis.waitUntilConnected(timeout: .seconds(15))
            try await BenchFamilies.prepare(families, now: Int64(Date().timeIntervalSince1970 * 1000), redis: redis)
            let servers = try await FloorServers.start(binary: Self.binary, count: 1, redisSocket: server.socketPath,
                                                       families: floorFamilies ?? families, lifetime: .seconds(60),
                                                       logPath: server.directory.path + "/floor.log")
            do {
                try await body(servers, redis)
            } catch {
                await servers.stop()
                throw error
            }
            await servers.stop()
        } catch {
            await redis.shutdown()
            throw error
        }
        await redis.shutdown()
    }

    private static func refresh(port: Int) async throws -> LoopbackHTTPResponse {
        try await LoopbackHTTPClient.send(
            "POST", port: port, path: "/oauth/token",
            headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array("grant_type=refresh_token&client_id=bench-client&refresh_token=rt1.x".utf8), timeout: .seconds(5))
    }
}

private extension Data {
    /// Decodes unpadded base64url.
    init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}
