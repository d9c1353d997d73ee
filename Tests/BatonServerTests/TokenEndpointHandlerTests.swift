import BatonLocalServers
import BatonTesting
import Foundation
import Testing

/// `POST /oauth/token` is answered on the event loop, ahead of NIO's HTTP/1 decoder and the router
/// (`TokenEndpointHandler`). Raw HTTP/1.1 over one socket: pipelined requests answered in order
/// whichever path takes them, bodies split across writes, `Connection: close`, a refused body that
/// leaves the connection usable, requests the framing leaves to the decoder, and a half-close.
@Suite struct TokenEndpointHandlerTests {
    private func tokenRequest(_ token: String, close: Bool = false, path: String = "/oauth/token") -> String {
        let body = "grant_type=refresh_token&client_id=app&refresh_token=\(token)"
        return "POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\(close ? "Connection: close\r\n" : "")\r\n\(body)"
    }

    private func successor(_ body: String) throws -> String {
        let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
        return try #require(json["refresh_token"] as? String)
    }

    @Test func pipelinedRequestsAreAnsweredInOrderOnBothPaths() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let token = try await worker.createSession(clients)["refresh_token"] as! String
            let answers = try await RawHTTP.exchange(port: worker.port, [
                "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + tokenRequest(token)
                    + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n" + tokenRequest(token)
                    + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            ])
            #expect(answers.map(\.status) == [200, 200, 404, 200, 200])
            // The second presentation is within the grace window: the same successor.
            #expect(try successor(answers[1].body) == successor(answers[3].body))
            #expect(answers[2].body.contains("not_found"))
            #expect(answers[0].body == answers[4].body)
            // A routed request right behind a token request waits for its answer, then goes on.
            let behind = try await RawHTTP.exchange(port: worker.port, [
                tokenRequest(try successor(answers[3].body)) + "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            ])
            #expect(behind.map(\.status) == [200, 404])
        }
    }

    @Test func aBodyInPiecesAQueryStringAndConnectionClose() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let token = try await worker.createSession(clients)["refresh_token"] as! String
            // Head and body in separate writes, 50 ms apart.
            let request = tokenRequest(token)
            let split = request.range(of: "\r\n\r\n")!.upperBound
            let first = try await RawHTTP.exchange(port: worker.port, [String(request[..<split]), String(request[split...]),
                                                               "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"],
                                           pause: 0.05)
            #expect(first.map(\.status) == [200, 200])
            // A query string takes the router's path; `Connection: close` ends the connection after the answer.
            let next = try successor(first[0].body)
            let routed = try await RawHTTP.exchange(port: worker.port, [tokenRequest(next, close: true, path: "/oauth/token?x=1")])
            #expect(routed.map(\.status) == [200])
            let closed = try await RawHTTP.exchange(port: worker.port, [tokenRequest(try successor(routed[0].body), close: true)
                                                                  + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"])
            #expect(closed.map(\.status) == [200], "\(closed)")
            // HTTP/1.0 without keep-alive: one answer, then the connection closes.
            let old = tokenRequest(try successor(closed[0].body)).replacingOccurrences(of: "HTTP/1.1", with: "HTTP/1.0")
            let answered = try await RawHTTP.exchange(port: worker.port, [old + "GET /healthz HTTP/1.0\r\n\r\n"])
            #expect(answered.map(\.status) == [200])
        }
    }

    @Test func anOversizedBodyIsRefusedAndTheConnectionGoesOn() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let token = try await worker.createSession(clients)["refresh_token"] as! String
            let huge = String(repeating: "a", count: 100_000)
            let oversized = "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: \(huge.utf8.count)\r\n\r\n\(huge)"
            let answers = try await RawHTTP.exchange(port: worker.port, [oversized + tokenRequest(token, close: true)])
            #expect(answers.map(\.status) == [413, 200])
            #expect(answers[0].body.contains("request_too_large"))
        }
    }

    @Test func requestsTheFramingLeavesToTheDecoderAreAnsweredInOrder() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let token = try await worker.createSession(clients)["refresh_token"] as! String
            // A routed request with a body, then a token request: framed, passed on, answered in order.
            let introspect = "token=\(token)"
            let routedFirst = try await RawHTTP.exchange(port: worker.port, [
                "POST /oauth/introspect HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: \(introspect.utf8.count)\r\n\r\n\(introspect)" + tokenRequest(token, close: true),
            ])
            #expect(routedFirst.map(\.status) == [401, 200], "\(routedFirst)")
            // A chunked token request is not framed here: the decoder and router take the connection,
            // and answer it and the request behind it.
            let body = "grant_type=refresh_token&client_id=app&refresh_token=\(try successor(routedFirst[1].body))"
            let chunked = "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n\(String(body.utf8.count, radix: 16))\r\n\(body)\r\n0\r\n\r\n"
            let unframed = try await RawHTTP.exchange(port: worker.port, [chunked + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"])
            #expect(unframed.map(\.status) == [200, 200], "\(unframed)")
            // A malformed request gets the decoder's 400 and the connection closes.
            let malformed = try await RawHTTP.exchange(port: worker.port, ["POST /oauth/token HTTP/1.1\r\nContent-Length: x\r\n\r\n"])
            #expect(malformed.map(\.status) == [400], "\(malformed)")
            // The worker goes on, and the chain too.
            let after = try await RawHTTP.exchange(port: worker.port, [tokenRequest(try successor(unframed[0].body), close: true)])
            #expect(after.map(\.status) == [200])
        }
    }

    @Test func aClientThatStopsSendingStillGetsItsAnswers() async throws {
        try await withWorker { worker in
            let clients = try await worker.standardClients()
            let token = try await worker.createSession(clients)["refresh_token"] as! String
            let answers = try await RawHTTP.exchange(port: worker.port, [tokenRequest(token) + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"],
                                             halfClose: true)
            #expect(answers.map(\.status) == [200, 200], "\(answers)")
        }
    }

    @Test func requestsToSwitchProtocolsAreRefusedAndNothingBehindThemHangs() async throws {
        try await withWorker { worker in
            let health = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
            let switches = [
                "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n",
                "GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
            ]
            for request in switches {
                // Answered and closed (the exchange reads until the server closes, or fails after 30 s).
                let alone = try await RawHTTP.exchange(port: worker.port, [request + health])
                #expect(alone.map(\.status) == [400], "\(request.debugDescription)")
                #expect(alone.first?.body.contains("protocol upgrades and CONNECT are not supported") == true)
                let behindARoutedRequest = try await RawHTTP.exchange(port: worker.port, [health + request + health])
                #expect(behindARoutedRequest.map(\.status) == [200, 400], "\(request.debugDescription)")
            }
            #expect(try await worker.get("/healthz").status == 200)
        }
    }
}
