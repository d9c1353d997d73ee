import ArgumentParser
import BatonCore
import BatonCrypto
import BatonLoad
import BatonLocalServers
import Foundation

extension LimitsBenchmark {
    /// HTTP requests/s: `wrk` (one thread, `connections` connections) against nginx (one worker)
    /// answering a token-sized JSON body; the nginx worker's and wrk's CPU time per request, each
    /// from its /proc/<pid>/stat.
    static func measureHTTP(seconds: Int, runs: Int, connections: Int,
                            commands: inout [String]) async throws -> LimitsReport.HTTP {
        let body = try tokenResponseBody()
        let nginx = try await StaticNginx.start(body: body)
        do {
            print("  nginx: 1 worker process, \(body.utf8.count)-byte application/json response")
            let arguments = ["-t1", "-c\(connections)", "-d\(seconds)s", "http://127.0.0.1:\(nginx.port)\(StaticNginx.path)"]
            commands.append(commandLine("wrk", arguments))
            var rates: [Double] = []
            var serverCPU: [Double] = []
            var clientCPU: [Double] = []
            for run in 1...runs {
                let before = try ProcessStat(pid: nginx.workerPID).cpuMicroseconds
                let (result, wrkCPU) = try await runWrk(arguments, seconds: seconds)
                let serverUsed = try ProcessStat(pid: nginx.workerPID).cpuMicroseconds - before
                let (requests, rate) = (result.requests, result.requestsPerSecond)
                rates.append(rate)
                serverCPU.append(serverUsed / Double(requests))
                clientCPU.append(wrkCPU / Double(requests))
                print(String(format: "  http run %d: %.0f requests/s, nginx %.2f CPU-µs/request, wrk %.2f CPU-µs/request",
                             run, rate, serverUsed / Double(requests), wrkCPU / Double(requests)))
            }
            await nginx.stop()
            return LimitsReport.HTTP(requestsPerSecond: median(rates), serverCPUMicroseconds: median(serverCPU),
                                     clientCPUMicroseconds: median(clientCPU))
        } catch {
            await nginx.stop()
            throw error
        }
    }

    /// One `wrk -t1` run lasting about `seconds`, and the CPU-µs wrk used; fails on any socket
    /// error or non-2xx answer.
    static func runWrk(_ arguments: [String], seconds: Int) async throws -> (result: WrkResult, cpuMicroseconds: Double) {
        var used = 0.0
        let (status, output) = try await runToCompletion("wrk", arguments, timeout: .seconds(seconds + 30)) { pid in
            used = try await ProcessStat.cpuMicrosecondsAtExit(of: pid)
        }
        guard status == 0 else { throw ValidationError("wrk exited with \(status): \(output)") }
        let result = try WrkResult.parse(output, threads: 1, command: ["wrk"] + arguments)
        guard result.errors == 0, result.requests > 0 else { throw ValidationError("wrk saw failed requests: \(output)") }
        return (result, used)
    }

    /// A token response as Baton sends it on refresh (RFC 6749 §5.1): a real ES256 access token
    /// with RFC 9068 claims, a refresh token of Baton's shape and length (random parts, serialized
    /// by `RefreshToken`; it opens no session anywhere), the scope.
    private static func tokenResponseBody() throws -> String {
        let (session, refreshToken) = try sampleRefreshToken()
        let key = try SigningKey.generate(.es256)
        let header = #"{"alg":"ES256","kid":"\#(key.keyID)","typ":"at+jwt"}"#
        let claims = #"{"iss":"http://127.0.0.1:8080","sub":"user-1234","aud":"api","client_id":"web","scope":"read write","sid":"\#(session)","iat":1800000000,"exp":1800000300,"jti":"\#(Base64URL.encodeToString(try Random.bytes(count: 16)))"}"#
        let signingInput = Base64URL.encodeToString(Array(header.utf8)) + "." + Base64URL.encodeToString(Array(claims.utf8))
        let accessToken = signingInput + "." + Base64URL.encodeToString(try key.sign(Array(signingInput.utf8)))
        return #"{"access_token":"\#(accessToken)","token_type":"Bearer","expires_in":300,"refresh_token":"\#(refreshToken)","scope":"read write"}"#
    }

    /// A refresh token of Baton's shape and length (random parts, serialized by `RefreshToken`; it
    /// opens no session anywhere), and the session it names.
    static func sampleRefreshToken() throws -> (session: SessionID, token: String) {
        let session = SessionID(shard: Hex.encode(try Random.bytes(count: SessionID.shardLength / 2)),
                                familyID: Array(Base64URL.encodeToString(try Random.bytes(count: 16)).utf8))
        let token = RefreshToken(masterKeyID: Hex.encode(try Random.bytes(count: 3)), shard: session.shard,
                                 familyID: session.familyID, generation: 8,
                                 mac: Array(Base64URL.encodeToString(try Random.bytes(count: 32)).utf8))
        return (session, String(decoding: token.serialized, as: UTF8.self))
    }
}
