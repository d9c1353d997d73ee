import BatonCore
import Testing

/// JSON written at the byte level: members in order, strings escaped as RFC 8259 §7 requires.
@Suite struct JSONWriterTests {
    private func json(_ build: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        build(&writer)
        return String(decoding: writer.finish(), as: UTF8.self)
    }

    @Test func membersAreWrittenInOrder() {
        #expect(json { $0.member("a", "x"); $0.member("n", Int64(-3)); $0.member("b", true) } == #"{"a":"x","n":-3,"b":true}"#)
    }

    @Test func stringsAreEscaped() {
        #expect(json { $0.member("s", "q\"b\\n\nr\rt\t") } == #"{"s":"q\"b\\n\nr\rt\t"}"#)
        #expect(json { $0.member("c", "\u{01}x\u{1F}") } == #"{"c":"\u0001x\u001f"}"#)
        #expect(json { $0.member("u", "é ✓ \u{7F}") } == "{\"u\":\"é ✓ \u{7F}\"}", "non-ASCII and DEL pass as they are")
        #expect(json { $0.member("e", "") } == #"{"e":""}"#)
    }

    @Test func unescapedMembersAreWrittenByTheCallerAndReportWhereTheyLie() {
        var writer = JSONWriter()
        writer.member("a", "x")
        let range = writer.member("token") { $0 += Array("ab.cd".utf8) }
        writer.member("n", Int64(1))
        let bytes = writer.finish()
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"a":"x","token":"ab.cd","n":1}"#)
        #expect(String(decoding: bytes[range], as: UTF8.self) == "ab.cd")
    }

    @Test func aWriterExtendingBytesAppendsItsObjectToThem() {
        var writer = JSONWriter(extending: Array("prefix.".utf8))
        writer.member("k", "v")
        #expect(String(decoding: writer.finish(), as: UTF8.self) == #"prefix.{"k":"v"}"#)
    }
}
