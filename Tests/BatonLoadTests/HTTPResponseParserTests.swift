@testable import BatonLoad
import NIOCore
import Testing

@Suite struct HTTPResponseParserTests {
    private let tokenResponse = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 28\r\nCache-Control: no-store\r\n\r\n"
        + #"{"refresh_token":"btr1.abc"}"#

    @Test func parsesStatusAndBodyByContentLength() throws {
        var buffer = ByteBuffer(string: tokenResponse)
        let response = try #require(try HTTPResponseParser.parse(&buffer))
        #expect(response.status == 200)
        #expect(response.keepAlive)
        #expect(response.text == #"{"refresh_token":"btr1.abc"}"#)
        #expect(buffer.readableBytes == 0)
    }

    @Test func waitsForSplitReadsAndConsumesNothingUntilComplete() throws {
        let bytes = Array(tokenResponse.utf8)
        var buffer = ByteBuffer()
        for (index, byte) in bytes.enumerated() {
            buffer.writeInteger(byte)
            let parsed = try HTTPResponseParser.parse(&buffer)
            if index < bytes.count - 1 {
                #expect(parsed == nil, "complete after \(index + 1) of \(bytes.count) bytes?")
                #expect(buffer.readableBytes == index + 1)
            } else {
                #expect(parsed?.status == 200)
            }
        }
    }

    @Test func readsPipelinedResponsesOneAtATime() throws {
        var buffer = ByteBuffer(string: "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 2")
        #expect(try HTTPResponseParser.parse(&buffer)?.status == 204)
        let second = try #require(try HTTPResponseParser.parse(&buffer))
        #expect(second.status == 400 && second.text == "{}")
        #expect(try HTTPResponseParser.parse(&buffer) == nil)
        #expect(buffer.readableBytes == "HTTP/1.1 2".utf8.count)
    }

    @Test func noticesConnectionCloseAndHTTP10() throws {
        var close = ByteBuffer(string: "HTTP/1.1 200 OK\r\nCONNECTION: Close\r\nContent-Length: 0\r\n\r\n")
        #expect(try HTTPResponseParser.parse(&close)?.keepAlive == false)
        var old = ByteBuffer(string: "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")
        #expect(try HTTPResponseParser.parse(&old)?.keepAlive == false)
        var oldKept = ByteBuffer(string: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")
        #expect(try HTTPResponseParser.parse(&oldKept)?.keepAlive == true)
    }

    @Test func readsTheDPoPNonceHeader() throws {
        var challenge = ByteBuffer(string: "HTTP/1.1 400 Bad Request\r\ndpop-nonce:  AAAAAAX4c2Y-n0nce \r\nContent-Length: 2\r\n\r\n{}")
        let response = try #require(try HTTPResponseParser.parse(&challenge))
        #expect(response.dpopNonce.map { String(buffer: $0) } == "AAAAAAX4c2Y-n0nce")
        #expect(response.text == "{}")
        var plain = ByteBuffer(string: tokenResponse)
        #expect(try HTTPResponseParser.parse(&plain)?.dpopNonce == nil)
    }

    @Test func skipsInterimResponses() throws {
        var buffer = ByteBuffer(string: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx")
        #expect(try HTTPResponseParser.parse(&buffer)?.status == 201)
    }

    @Test func refusesChunkedAndUnframedBodiesClearly() {
        var chunked = ByteBuffer(string: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
        let error = #expect(throws: HTTPResponseError.self) { try HTTPResponseParser.parse(&chunked) }
        #expect(error?.description.contains("only Content-Length framing is supported") == true)
        var unframed = ByteBuffer(string: "HTTP/1.1 200 OK\r\n\r\nbody until close")
        #expect(throws: HTTPResponseError.self) { try HTTPResponseParser.parse(&unframed) }
    }

    @Test func refusesMalformedHeads() {
        for text in ["HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
                     "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
                     "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "garbage\r\n\r\n"] {
            var buffer = ByteBuffer(string: text)
            #expect(throws: HTTPResponseError.self, "\(text.debugDescription)") { try HTTPResponseParser.parse(&buffer) }
        }
        var endless = ByteBuffer(string: "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: HTTPResponseParser.maximumHeadSize))
        #expect(throws: HTTPResponseError.self) { try HTTPResponseParser.parse(&endless) }
    }
}
