@testable import BatonLoad
import NIOCore
import Testing

@Suite struct JSONFieldTests {
    private let field = JSONField("refresh_token")

    @Test func extractsTheTokenFromABatonTokenResponse() {
        let body = ByteBuffer(string: #"{"access_token":"eyJ.x.y","token_type":"Bearer","expires_in":300,"refresh_token":"btr1.k1.ab.cd.3.ef","scope":"read"}"#)
        #expect(field.value(in: body) == Array("btr1.k1.ab.cd.3.ef".utf8))
        #expect(ResponseClassifier.accessToken.value(in: body) == Array("eyJ.x.y".utf8))
    }

    @Test func toleratesWhitespaceAndSkipsTheNameAsAValue() {
        let body = ByteBuffer(string: "{\"note\":\"refresh_token\", \"refresh_token\" :\n \"tok\"}")
        #expect(field.value(in: body) == Array("tok".utf8))
    }

    @Test func copiesIntoAReusedBufferAndReportsAbsence() {
        var output = Array("previous-and-longer".utf8)
        #expect(field.copyValue(in: ByteBuffer(string: #"{"refresh_token":"new"}"#), into: &output))
        #expect(output == Array("new".utf8))
        #expect(!field.copyValue(in: ByteBuffer(string: #"{"access_token":"a"}"#), into: &output))
        #expect(output == Array("new".utf8))
    }

    @Test func refusesNonStringsEscapesAndTruncation() {
        #expect(field.value(in: ByteBuffer(string: #"{"refresh_token":null}"#)) == nil)
        #expect(field.value(in: ByteBuffer(string: #"{"refresh_token":"a\"b"}"#)) == nil)
        #expect(field.value(in: ByteBuffer(string: #"{"refresh_token":"unterminated"#)) == nil)
    }

    @Test func findsLiterals() {
        let active = JSONField("active")
        let yes = Array("true".utf8)
        #expect(active.hasLiteral(yes, in: ByteBuffer(string: #"{"active":true,"sub":"a"}"#)))
        #expect(!active.hasLiteral(yes, in: ByteBuffer(string: #"{"active":false}"#)))
        #expect(!active.hasLiteral(yes, in: ByteBuffer(string: "{}")))
    }

    @Test func findsQuotedLiteralsPastTheNameAsAValue() {
        let error = JSONField("error")
        let invalidGrant = Array(#""invalid_grant""#.utf8)
        #expect(error.hasLiteral(invalidGrant, in: ByteBuffer(string: #"{"note":"error","error" : "invalid_grant"}"#)))
        #expect(!error.hasLiteral(invalidGrant, in: ByteBuffer(string: #"{"error":"invalid_grant_type"}"#)))
        #expect(!error.hasLiteral(invalidGrant, in: ByteBuffer(string: #"{"error":"invalid"#)))
    }
}
