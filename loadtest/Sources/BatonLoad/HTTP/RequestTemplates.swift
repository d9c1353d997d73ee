import BatonCore
import NIOCore

/// The requests of a run against one target, prepared once: fixed heads and body prefixes, so
/// each request is a few `writeBytes` into a reused buffer. With a DPoP proof (RFC 9449 §4.1) the
/// head ends with its `DPoP` field.
public struct RequestTemplates: Sendable {
    /// `GET /healthz`, complete.
    public let healthz: ByteBuffer
    private let tokenHead: [UInt8]
    private let introspectHead: [UInt8]
    private let revokeHead: [UInt8]
    private let tokenDPoPHead: [UInt8]
    private let revokeDPoPHead: [UInt8]
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
        tokenDPoPHead = HTTPRequestWriter.headPrefix("POST", target: target, path: "/oauth/token", headers: [Self.form],
                                                     endingWith: "DPoP")
        revokeDPoPHead = HTTPRequestWriter.headPrefix("POST", target: target, path: "/oauth/revoke", headers: [Self.form],
                                                      endingWith: "DPoP")
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

    /// `POST /oauth/token` rotating `token` (RFC 6749 §6), as the public client, with the DPoP
    /// `proof` (a compact JWS) when there is one.
    public func writeRefresh(token: [UInt8], proof: [UInt8]? = nil, into buffer: inout ByteBuffer) {
        writeForm(head: proof == nil ? tokenHead : tokenDPoPHead, proof: proof, prefix: refreshPrefix, token: token, into: &buffer)
    }

    /// `POST /oauth/introspect` of `token` (RFC 7662), as the public client.
    public func writeIntrospect(token: [UInt8], into buffer: inout ByteBuffer) {
        writeForm(head: introspectHead, proof: nil, prefix: tokenPrefix, token: token, into: &buffer)
    }

    /// `POST /oauth/revoke` of `token` (RFC 7009), as the public client, with the DPoP `proof` a
    /// bound session needs when there is one.
    public func writeRevoke(token: [UInt8], proof: [UInt8]? = nil, into buffer: inout ByteBuffer) {
        writeForm(head: proof == nil ? revokeHead : revokeDPoPHead, proof: proof, prefix: tokenPrefix, token: token, into: &buffer)
    }

    /// `POST /v1/sessions` for `subject` (a JSON string literal, quotes included) on the public
    /// client, bound to the DPoP key of `dpopThumbprint` (`dpop_jkt`) when there is one.
    public func writeCreateSession(subjectJSON: [UInt8], dpopThumbprint: [UInt8]? = nil, into buffer: inout ByteBuffer) {
        let binding = dpopThumbprint.map { Self.thumbprintMember.count + $0.count + 1 } ?? 0
        buffer.clear()
        buffer.writeBytes(sessionsHead)
        HTTPRequestWriter.writeDecimal(sessionPrefix.count + subjectJSON.count + binding + sessionSuffix.count, to: &buffer)
        buffer.writeBytes(Self.crlfcrlf)
        buffer.writeBytes(sessionPrefix)
        buffer.writeBytes(subjectJSON)
        if let dpopThumbprint {
            buffer.writeBytes(Self.thumbprintMember)
            buffer.writeBytes(dpopThumbprint)   // base64url: nothing to escape
            buffer.writeInteger(UInt8(ascii: "\""))
        }
        buffer.writeBytes(sessionSuffix)
    }

    private static let thumbprintMember: [UInt8] = Array(#","dpop_jkt":""#.utf8)

    private func writeForm(head: [UInt8], proof: [UInt8]?, prefix: [UInt8], token: [UInt8], into buffer: inout ByteBuffer) {
        buffer.clear()
        buffer.writeBytes(head)
        if let proof {
            buffer.writeBytes(proof)
            buffer.writeBytes(HTTPRequestWriter.contentLengthAfterField)
        }
        HTTPRequestWriter.writeDecimal(prefix.count + HTTPRequestWriter.formEncodedCount(token), to: &buffer)
        buffer.writeBytes(Self.crlfcrlf)
        buffer.writeBytes(prefix)
        HTTPRequestWriter.writeFormEncoded(token, to: &buffer)
    }
}
