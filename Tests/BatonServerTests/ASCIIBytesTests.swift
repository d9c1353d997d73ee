@testable import BatonServer
import BatonCore
import Testing

/// Header text compared without case and surrounding blanks, and the media-type check built on it.
@Suite struct ASCIIBytesTests {
    @Test func blanksAreTrimmedAndCaseIsFolded() {
        #expect(Array(" \t keep-alive \t".utf8).trimmingBlanks.elementsEqual("keep-alive".utf8))
        #expect(Array(" \t ".utf8).trimmingBlanks.isEmpty)
        #expect(Array("Keep-ALIVE".utf8).equalsIgnoringASCIICase("keep-alive".utf8))
        #expect(!Array("keep-alive2".utf8).equalsIgnoringASCIICase("keep-alive".utf8))
        #expect(!Array("keep".utf8).equalsIgnoringASCIICase("keep-alive".utf8))
        #expect(!Array("K\u{E9}ep".utf8).equalsIgnoringASCIICase("k\u{C9}ep".utf8), "only ASCII letters fold")
    }

    @Test func mediaTypesIgnoreCaseParametersAndBlanks() throws {
        try requireMediaType("application/x-www-form-urlencoded", "application/x-www-form-urlencoded")
        try requireMediaType(" Application/X-WWW-Form-Urlencoded ; charset=UTF-8", "application/x-www-form-urlencoded")
        try requireMediaType("application/json\t", "application/json")
        for refused in [nil, "", "application/jsonx", "application/json-patch+json", "text/json", "application/ json"] {
            #expect(throws: HTTPError.unsupportedMediaType(expected: "application/json"), "\(String(describing: refused))") {
                try requireMediaType(refused, "application/json")
            }
        }
    }
}
