@testable import BatonServer
import Testing

/// The token path's own HTTP/1 framing: strict, and anything unusual is left to NIO's decoder.
@Suite struct RequestFrameTests {
    private func read(_ text: String) -> RequestFrame.Reading {
        Array(text.utf8).withUnsafeBytes(RequestFrame.read)
    }

    private func frame(_ text: String) throws -> RequestFrame {
        guard case .frame(let frame) = read(text) else {
            Issue.record("not framed: \(read(text))")
            throw FramingFailure()
        }
        return frame
    }

    private struct FramingFailure: Error {}

    private let tokenHead = "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + "Authorization: Basic YTpi\r\nContent-Length: 12\r\n\r\n"

    @Test func aTokenRequestIsFramedWithItsHeaders() throws {
        let frame = try frame(tokenHead + "grant_type=x" + "GET / HTTP/1.1\r\n\r\n")
        #expect(frame.isTokenRequest)
        #expect(frame.minorVersion == 1)
        #expect(frame.headLength == tokenHead.utf8.count)
        #expect(frame.contentLength == 12)
        #expect(frame.length == tokenHead.utf8.count + 12)
        #expect(frame.keepAlive)
        #expect(frame.contentType == "application/x-www-form-urlencoded")
        #expect(frame.authorization == "Basic YTpi")
    }

    @Test func everyDPoPValueOfATokenRequestIsKeptInOrder() throws {
        let head = "POST /oauth/token HTTP/1.1\r\nDPoP: first.proof.a\r\nContent-Length: 0\r\ndpop:  second.proof.b \r\n\r\n"
        #expect(try frame(head).dpop == ["first.proof.a", "second.proof.b"])  // the verifier refuses two
        #expect(try frame(tokenHead + "grant_type=x").dpop == [])
        // Other requests keep no header values.
        #expect(try frame("POST /oauth/revoke HTTP/1.1\r\nDPoP: a.b.c\r\n\r\n").dpop == [])
    }

    @Test func namesAreCaseInsensitiveAndValuesTrimmed() throws {
        let frame = try frame("POST /oauth/token HTTP/1.1\r\ncontent-TYPE:\t text/plain  \r\nCONTENT-LENGTH: 0\r\n\r\n")
        #expect(frame.contentType == "text/plain")
        #expect(frame.contentLength == 0)
        #expect(frame.authorization == nil)
    }

    @Test func otherRequestsAreFramedButNotTokenRequests() throws {
        #expect(try !frame("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").isTokenRequest)
        #expect(try !frame("POST /oauth/token?x=1 HTTP/1.1\r\n\r\n").isTokenRequest)
        #expect(try !frame("GET /oauth/token HTTP/1.1\r\n\r\n").isTokenRequest)
        #expect(try !frame("post /oauth/token HTTP/1.1\r\n\r\n").isTokenRequest)
        let revoke = try frame("POST /oauth/revoke HTTP/1.1\r\nContent-Type: a/b\r\nContent-Length: 5\r\n\r\n")
        #expect(revoke.contentLength == 5)
        #expect(revoke.contentType == nil, "header values are kept for token requests only")
        #expect(try frame("GET / HTTP/1.1\r\n\r\n").contentLength == 0)
    }

    @Test func keepAliveFollowsTheVersionAndConnectionHeader() throws {
        #expect(try frame("GET / HTTP/1.1\r\n\r\n").keepAlive)
        #expect(try !frame("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keepAlive)
        #expect(try !frame("GET / HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n").keepAlive)
        #expect(try !frame("GET / HTTP/1.0\r\n\r\n").keepAlive)
        #expect(try frame("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive)
        #expect(try frame("GET / HTTP/1.0\r\n\r\n").minorVersion == 0)
    }

    @Test func anUnfinishedHeadNeedsMoreBytes() {
        #expect(read("") == .incomplete)
        #expect(read("POST /oauth/token HTTP/1.1\r\nHost: x\r\n") == .incomplete)
        #expect(read("POST /oauth/token HTTP/1.1\r\nHost: x\r\n\r") == .incomplete)
    }

    @Test func whatTheFramingDoesNotUnderstandGoesToTheDecoder() {
        let unframeable = [
            "GET / HTTP/1.1\nHost: x\n\n",                                           // bare LF
            "GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r\n",                               // bare CR
            "GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n",                                  // obs-fold
            "GET / HTTP/1.1\r\nHost x\r\n\r\n",                                      // no colon
            "GET / HTTP/1.1\r\nHo st: x\r\n\r\n",                                    // space in a name
            "GET / HTTP/1.1\r\nHost : x\r\n\r\n",                                    // space before the colon
            "GET / HTTP/1.1\r\nA: \u{7F}\r\n\r\n",                                   // control character
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 1 2\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 9999999999999999\r\n\r\n",
            "POST / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
            "GET / HTTP/2.0\r\n\r\n",
            "GET /  HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1 \r\n\r\n",
            "G(T / HTTP/1.1\r\n\r\n",
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            "POST /oauth/token HTTP/1.1\r\nAuthorization: a\r\nAuthorization: b\r\n\r\n",
            "POST /oauth/token HTTP/1.1\r\nContent-Type: a\r\nContent-Type: b\r\n\r\n",
            "\r\nGET / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\n" + String(repeating: "A: b\r\n", count: 101) + "\r\n",
            "GET /" + String(repeating: "a", count: RequestFrame.headLimit) + " HTTP/1.1\r\n\r\n",
        ]
        for request in unframeable {
            #expect(read(request) == .unframeable, "\(request.debugDescription)")
        }
    }

    @Test func requestsToSwitchProtocolsAreRecognised() {
        for request in ["GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
                        "GET / HTTP/1.1\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n",
                        "GET / HTTP/1.1\r\nConnection: keep-alive, upgrade\r\n\r\n",
                        "CONNECT x:443 HTTP/1.1\r\n\r\n"] {
            guard case .switchingProtocols = read(request) else {
                Issue.record("not refused as a protocol switch: \(request.debugDescription)")
                continue
            }
        }
    }
}
