import BatonCore
import NIOCore

/// The requests of a run against one target, prepared once: fixed heads and body prefixes, so
/// each request is a few `writeBytes` into a reused buffer.
public struct RequestTemplates: Sendable {
    /// `GET /healthz`, complete.
    public let healthz: ByteBuffer
    private let tokenHead: [UInt8]
    private let introspectHead: [UInt8]
    private let revokeHead: [UInt8]
    private let sessionsHead: [UInt8]
    private let refreshPrefix: [UInt8]
    private let tokenPrefix: [UInt8]
    private let sessionPrefix: [UInt8]
    private let sessionSuffix: [UInt8]

    private static let form = ("Content-Type", "application/x-www-form-urlencoded")
    private static let crlfcrlf: [UInt8] = Array("\r\n\r\n".utf8)

    /// Prepares the requests for `target`, the run's public client and (optionally) the login
    /// client's `Authorization` header value.
    public init(target: LoadTarget, appClientID: String, loginAuthorization: String?) {
        healthz = HTTPRequestWriter.request("GET", target: target, path: "/healthz")
        tokenHead = HTTPRequestWriter.headPrefix("POST", target: target, path: "/oauth/token", headers: [Self.form])
        introspectHead = HTTPRequestWriter.headPrefix("POST", target: target, path: "/oauth/introspect", headers: [Self.form])
        revokeHead = HTTPRequestWriter.headPrefix("POST", target: target, path: "/oauth/revoke", headers: [Self.form])
        var sessionHeaders = [("Content-Type", "application/json")]
        if let loginAuthorization { sessionHeaders.append(("Authorization", loginAuthorization)) }
        sessionsHead = HTTPRequestWriter.headPrefix("POST", target: target, path: "/v1/sessions", headers: sessionHeaders)
        let client = Array(appClientID.utf8)
        var clientEncoded = ByteBuffer()
        HTTPRequestWriter.writeFormEncoded(client, to: &clientEncoded)
        let clientForm = Array(clientEncoded.readableBytesView)
        refreshPrefix = Array("grant_type=refresh_token&client_id=".utf8) + clientForm + Array("&refresh_token=".utf8)
        tokenPrefix = Array("client_id=".utf8) + clientForm + Array("&token=".utf8)
        var clientJSON: [UInt8] = []
        JSONWriter.appendString(appClientID.utf8, to: &clientJSON)
        sessionPrefix = Array(#"{"client_id":"#.utf8) + clientJSON + Array(#","sub":"#.utf8)
        sessionSuffix = Array("}".utf8)
    }

    /// `POST /oauth/token` rotating `token` (RFC 6749 §6), as the public client.
    public func writeRefresh(token: [UInt8], into buffer: inout ByteBuffer) {
        writeForm(head: tokenHead, prefix: refreshPrefix, token: token, into: &buffer)
    }

    /// `POST /oauth/introspect` of `token` (RFC 7662), as the public client.
    public func writeIntrospect(token: [UInt8], into buffer: inout ByteBuffer) {
        writeForm(head: introspectHead, prefix: tokenPrefix, token: token, into: &buffer)
    }

    /// `POST /oauth/revoke` of `token` (RFC 7009), as the public client.
    public func writeRevoke(token: [UInt8], into buffer: inout ByteBuffer) {
        writeForm(head: revokeHead, prefix: tokenPrefix, token: token, into: &buffer)
    }

    /// `POST /v1/sessions` for `subject` (a JSON string literal, quotes included) on the public client.
    public func writeCreateSession(subjectJSON: [UInt8], into buffer: inout ByteBuffer) {
        buffer.clear()
        buffer.writeBytes(sessionsHead)
        HTTPRequestWriter.writeDecimal(sessionPrefix.count + subjectJSON.count + sessionSuffix.count, to: &buffer)
        buffer.writeBytes(Self.crlfcrlf)
        buffer.writeBytes(sessionPrefix)
        buffer.writeBytes(subjectJSON)
        buffer.writeBytes(sessionSuffix)
    }

    private func writeForm(head: [UInt8], prefix: [UInt8], token: [UInt8], into buffer: inout ByteBuffer) {
        buffer.clear()
        buffer.writeBytes(head)
        HTTPRequestWriter.writeDecimal(prefix.count + HTTPRequestWriter.formEncodedCount(token), to: &buffer)
        buffer.writeBytes(Self.crlfcrlf)
        buffer.writeBytes(prefix)
        HTTPRequestWriter.writeFormEncoded(token, to: &buffer)
    }
}
