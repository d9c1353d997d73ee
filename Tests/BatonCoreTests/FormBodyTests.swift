@testable import BatonCore
import Testing

/// `application/x-www-form-urlencoded` bodies at the byte level, and what they refuse.
@Suite struct FormBodyTests {
    private func form(_ text: String) throws -> FormBody {
        try FormBody(Array(text.utf8))
    }

    private func refused(_ text: String) -> String? {
        do {
            _ = try form(text)
            return nil
        } catch let error as BatonError {
            return error.code == .invalidRequest ? error.hint : "wrong code \(error.code)"
        } catch {
            return "\(error)"
        }
    }

    @Test func parametersAreDecoded() throws {
        let body = try form("grant_type=refresh_token&scope=read+write&x=%C3%A9%2b%2F&empty=&flag&=ignored&&")
        #expect(body["grant_type"] == "refresh_token")
        #expect(body["scope"] == "read write")
        #expect(body["x"] == "é+/")
        #expect(body["empty"] == nil, "an empty value counts as absent")
        #expect(body["flag"] == nil)
        #expect(body["missing"] == nil)
        #expect(throws: BatonError.self) { try body.required("empty") }
        #expect(try body.required("grant_type") == "refresh_token")
        #expect(try form("")["a"] == nil)
        #expect(try form("a=b=c")["a"] == "b=c", "only the first = separates")
    }

    @Test func badBodiesAreInvalidRequests() {
        #expect(refused("a=1&a=2")?.contains("repeated") == true)
        #expect(refused("a=%4")?.contains("percent-encoding") == true)
        #expect(refused("a=%zz")?.contains("percent-encoding") == true)
        #expect(refused("a=%C3")?.contains("UTF-8") == true)
        #expect(refused("a=\u{FF}") == nil, "U+00FF is valid UTF-8")
        let tooMany = (0...FormBody.parameterLimit).map { "p\($0)=x" }.joined(separator: "&")
        #expect(refused(tooMany)?.contains("more than") == true)
        let enough = (1...FormBody.parameterLimit).map { "p\($0)=x" }.joined(separator: "&")
        #expect(refused(enough) == nil)
    }

    @Test func invalidUTF8BytesAreRefused() {
        #expect(throws: BatonError.self) { try FormBody([UInt8(ascii: "a"), UInt8(ascii: "="), 0xC3]) }
        #expect(throws: BatonError.self) { try FormBody([0xFF, UInt8(ascii: "="), UInt8(ascii: "b")]) }
    }
}
