import BatonCore
import Testing

/// Request bodies read strictly: unknown members refused, each member of the type asked for, every
/// hint naming the member.
@Suite struct JSONObjectReaderTests {
    private let allowed: Set<String> = ["client_id", "public", "grace_seconds", "scopes", "claims", "note"]

    private func read(_ text: String, allowed: Set<String>? = nil) throws -> JSONObjectReader {
        try JSONObjectReader(Array(text.utf8), allowed: allowed ?? self.allowed)
    }

    private func refusal(_ hint: String) -> BatonError {
        BatonError(.invalidRequest, hint: hint)
    }

    @Test func readsEveryTypedMember() throws {
        let body = try read(#"{"client_id":"app","public":false,"grace_seconds":30,"scopes":["a","b c"],"claims":{"x":[1]}}"#)
        #expect(try body.string("client_id") == "app")
        #expect(try body.bool("public") == false)
        #expect(try body.integer("grace_seconds", in: 0...3_600) == 30)
        #expect(try body.strings("scopes") == ["a", "b c"])
        #expect(body.value("claims") == .object([(name: "x", value: .array([.number("1")]))]))
        #expect(body.has("client_id"))
    }

    @Test func absentMembersAreNil() throws {
        let body = try read("{}")
        #expect(try body.string("client_id") == nil)
        #expect(try body.bool("public") == nil)
        #expect(try body.integer("grace_seconds", in: 0...10) == nil)
        #expect(try body.strings("scopes") == nil)
        #expect(body.value("claims") == nil)
        #expect(!body.has("note"))
    }

    @Test func refusesTheFirstUnknownMemberInBodyOrder() {
        #expect(throws: refusal("unknown member 'public'")) {
            try read(#"{"client_id":"x","public":true,"grace_seconds":0}"#, allowed: ["client_id", "grace_seconds"])
        }
        #expect(throws: refusal("unknown member 'zeta'")) { try read(#"{"note":"", "zeta":1,"alpha":2}"#) }
        #expect(throws: refusal("unknown member 'Client_id'"), "names are case-sensitive") { try read(#"{"Client_id":"x"}"#) }
    }

    @Test func allowedNamesMustMatchByteForByte() {
        // KELVIN SIGN is canonically equivalent to K, so Swift's String equality alone would let it in.
        #expect(throws: refusal("unknown member '?ey'")) { try read(#"{"\u212Aey":1}"#, allowed: ["Key"]) }
        #expect(throws: Never.self) { try read(#"{"\u004Bey":1}"#, allowed: ["Key"]) }
    }

    @Test func unknownNamesAreQuotedPrintably() {
        #expect(throws: refusal("unknown member 'a?b?'")) { try read(#"{"a\u0000b\n":1}"#) }
    }

    @Test(arguments: ["[]", "[{}]", #""client_id""#, "null", "true", "1"])
    func refusesAnythingButAnObject(text: String) {
        #expect(throws: refusal("the body must be a JSON object")) { try read(text) }
    }

    @Test func passesParseErrorsOn() {
        #expect(throws: refusal("malformed JSON at byte 1")) { try read("{") }
        #expect(throws: refusal("malformed JSON at byte 2")) { try read("{}x") }
        #expect(throws: refusal("duplicate member 'note'")) { try read(#"{"note":"a","note":"b"}"#) }
        #expect(throws: refusal("duplicate member 'x'")) { try read(#"{"claims":{"x":1,"x":2}}"#) }
        #expect(throws: refusal("invalid UTF-8 at byte 9")) {
            try JSONObjectReader(Array(#"{"note":""#.utf8) + [0xFF, 0x22, 0x7D], allowed: allowed)
        }
    }

    @Test func refusesWrongTypesNamingTheMember() throws {
        let body = try read(#"{"client_id":1,"public":"true","scopes":"a","note":["x"]}"#)
        #expect(throws: refusal("'client_id' must be a string")) { try body.string("client_id") }
        #expect(throws: refusal("'public' must be true or false")) { try body.bool("public") }
        #expect(throws: refusal("'scopes' must be an array of strings")) { try body.strings("scopes") }
        #expect(throws: refusal("'note' must be a string")) { try body.string("note") }
        #expect(throws: refusal("'note' must be a whole number from 0 to 9")) { try body.integer("note", in: 0...9) }
    }

    @Test func explicitNullIsPresentButOfNoType() throws {
        let body = try read(#"{"client_id":null,"public":null,"grace_seconds":null,"scopes":null}"#)
        #expect(body.has("client_id"))
        #expect(body.value("client_id") == .null)
        #expect(throws: refusal("'client_id' must be a string")) { try body.string("client_id") }
        #expect(throws: refusal("'public' must be true or false")) { try body.bool("public") }
        #expect(throws: refusal("'grace_seconds' must be a whole number from 0 to 60")) {
            try body.integer("grace_seconds", in: 0...60)
        }
        #expect(throws: refusal("'scopes' must be an array of strings")) { try body.strings("scopes") }
    }

    @Test func stringArraysMayBeEmptyButHoldOnlyStrings() throws {
        #expect(try read(#"{"scopes":[]}"#).strings("scopes") == [])
        #expect(throws: refusal("'scopes' must be an array of strings")) { try read(#"{"scopes":["a",1]}"#).strings("scopes") }
        #expect(throws: refusal("'scopes' must be an array of strings")) { try read(#"{"scopes":[["a"]]}"#).strings("scopes") }
        #expect(throws: refusal("'scopes' must be an array of strings")) { try read(#"{"scopes":["a",null]}"#).strings("scopes") }
    }

    @Test(arguments: ["1.0", "1e3", "1E0", "0.5", "-0.0", "\"5\"", "true", "[5]"])
    func integersAreWholeNumbersOnly(value: String) {
        #expect(throws: refusal("'grace_seconds' must be a whole number from 0 to 3600")) {
            try read("{\"grace_seconds\":\(value)}").integer("grace_seconds", in: 0...3_600)
        }
    }

    @Test func integersStayInsideTheirRange() throws {
        let range: ClosedRange<Int64> = -5...3_600
        let outside = refusal("'grace_seconds' must be a whole number from -5 to 3600")
        #expect(try read(#"{"grace_seconds":-5}"#).integer("grace_seconds", in: range) == -5)
        #expect(try read(#"{"grace_seconds":3600}"#).integer("grace_seconds", in: range) == 3_600)
        #expect(try read(#"{"grace_seconds":-0}"#).integer("grace_seconds", in: range) == 0)
        #expect(throws: outside) { try read(#"{"grace_seconds":-6}"#).integer("grace_seconds", in: range) }
        #expect(throws: outside) { try read(#"{"grace_seconds":3601}"#).integer("grace_seconds", in: range) }
    }

    @Test func integersPastInt64AreOutOfRangeNotACrash() throws {
        let full = Int64.min...Int64.max
        let outside = refusal("'grace_seconds' must be a whole number from -9223372036854775808 to 9223372036854775807")
        #expect(try read(#"{"grace_seconds":9223372036854775807}"#).integer("grace_seconds", in: full) == .max)
        #expect(try read(#"{"grace_seconds":-9223372036854775808}"#).integer("grace_seconds", in: full) == .min)
        #expect(throws: outside) { try read(#"{"grace_seconds":9223372036854775808}"#).integer("grace_seconds", in: full) }
        #expect(throws: outside) { try read(#"{"grace_seconds":-9223372036854775809}"#).integer("grace_seconds", in: full) }
        #expect(throws: outside) {
            try read("{\"grace_seconds\":\(String(repeating: "9", count: 400))}").integer("grace_seconds", in: full)
        }
    }
}
