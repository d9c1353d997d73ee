import Testing
@testable import BatonCore

/// The strict RFC 8259 parser: every valid form read, every refusal with its exact hint, and
/// compact output with sorted members.
@Suite struct JSONValueTests {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONValue.parse(Array(text.utf8))
    }

    private func compact(_ value: JSONValue) -> String {
        var bytes: [UInt8] = []
        value.appendJSON(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private func refusal(_ hint: String) -> BatonError {
        BatonError(.invalidRequest, hint: hint)
    }

    // MARK: Valid forms

    @Test func readsLiterals() throws {
        #expect(try parse("null") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse("false") == .bool(false))
    }

    @Test(arguments: ["0", "-0", "7", "12", "-12", "0.5", "-0.0", "10.25", "1e3", "1E3", "1e+3", "-1.5e-07",
                      "1e010", "123456789012345678901234567890", "0e0"])
    func keepsEveryGrammaticalNumberAsWritten(text: String) throws {
        #expect(try parse(text) == .number(text))
    }

    @Test func decodesEveryEscape() throws {
        #expect(try parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{08}\u{0C}\n\r\t"))
        #expect(try parse(#""\u0041\u00e9\u20AC\u0000""#) == .string("Aé€\u{0}"))
        #expect(try parse(#""a\u0062c""#) == .string("abc"))
    }

    @Test func joinsSurrogatePairs() throws {
        #expect(try parse(#""\uD83D\uDE00""#) == .string("😀"))
        #expect(try parse(#""\ud83d\ude00!""#) == .string("😀!"))
        #expect(try parse(#""\uDBFF\uDFFF""#) == .string("\u{10FFFF}"))
        #expect(try parse(#""\uD800\uDC00""#) == .string("\u{10000}"))
    }

    @Test func readsRawUTF8AndDeleteInStrings() throws {
        #expect(try parse("\"é ✓ 😀 \u{7F}\"") == .string("é ✓ 😀 \u{7F}"))
        #expect(try parse(#""""#) == .string(""))
    }

    @Test func readsNestedArraysAndObjectsInBodyOrder() throws {
        let value = try parse(#"{"b":[1,{"c":null},[]],"a":{},"s":"x"}"#)
        #expect(value == .object([
            (name: "b", value: .array([.number("1"), .object([(name: "c", value: .null)]), .array([])])),
            (name: "a", value: .object([])),
            (name: "s", value: .string("x")),
        ]))
    }

    @Test func acceptsTheFourWhitespaceBytesAroundEveryToken() throws {
        let value = try parse(" \t\r\n{ \"a\" :\t[ 1 ,\r\n2 ] , \"b\"\n:\rtrue }\n\t ")
        #expect(value == .object([(name: "a", value: .array([.number("1"), .number("2")])), (name: "b", value: .bool(true))]))
        #expect(try parse("[ ]") == .array([]))
        #expect(try parse("{\n}") == .object([]))
    }

    @Test func acceptsThirtyTwoLevelsOfNesting() throws {
        let arrays = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        #expect(throws: Never.self) { try parse(arrays) }
        let objects = String(repeating: #"{"a":"#, count: 31) + "{}" + String(repeating: "}", count: 31)
        #expect(throws: Never.self) { try parse(objects) }
    }

    @Test func sameNameInDifferentObjectsIsNoDuplicate() throws {
        #expect(throws: Never.self) { try parse(#"[{"a":1},{"a":2}]"#) }
        #expect(throws: Never.self) { try parse(#"{"a":{"a":{"a":1}}}"#) }
    }

    @Test func acceptsAnyCollectionOfBytes() throws {
        let body: ArraySlice<UInt8> = Array("xx[1]yy".utf8)[2..<5]
        #expect(try JSONValue.parse(body) == .array([.number("1")]))
    }

    // MARK: Refusals

    @Test(arguments: [
        ("", 0), ("   ", 3),
        // Trailing bytes.
        ("1 2", 2), ("{}}", 2), ("nullx", 4), ("[] []", 3), ("\"a\"\"b\"", 3),
        // Numbers outside the grammar.
        ("01", 1), ("-01", 2), ("00", 1), ("+1", 0), (".5", 0), ("1.", 2), ("1.e3", 2), ("-.5", 1),
        ("1e", 2), ("1e+", 3), ("-", 1), ("NaN", 0), ("Infinity", 0), ("-Infinity", 1), ("0x10", 1),
        ("[1.]", 3),
        // Comments.
        ("/* c */ 1", 0), ("[1 // c\n]", 3), (#"{"a":1 /*x*/}"#, 7), ("# 1", 0),
        // Trailing and stray commas.
        ("[1,]", 3), (#"{"a":1,}"#, 7), ("[,1]", 1), ("{,}", 1), ("[1,,2]", 3), (#"{"a":1,,"b":2}"#, 7),
        // Bad escapes.
        (#""\x""#, 2), (#""\'""#, 2), (#""\U0041""#, 2), (#""\u12G4""#, 5), (#""\u123""#, 6), (#""\"#, 2),
        // Unescaped control characters.
        ("\"a\u{01}b\"", 2), ("\"a\tb\"", 2), ("\"a\nb\"", 2), ("\"\u{00}\"", 1), ("\"\u{1F}\"", 1),
        // Lone surrogates.
        (#""\uD800""#, 1), (#""\uDC00""#, 1), (#""x\uD800x""#, 2), (#""\uD800\u0041""#, 1),
        (#""\uDBFF\uDBFF\uDC00""#, 1), (#"["\uDFFF"]"#, 2), (#""\uD800\n""#, 1),
        // Unterminated or misshapen values.
        ("\"abc", 4), ("[1", 2), (#"{"a""#, 4), (#"{"a":}"#, 5), (#"{"a" 1}"#, 5), ("{a:1}", 1), ("{'a':1}", 1),
        ("['a']", 1), ("[1 2]", 3), ("tru", 3), ("True", 0), ("nul", 3), ("falsy", 4), ("undefined", 0),
        // Only space, tab, CR and LF are whitespace; no byte-order mark.
        ("\u{0C}1", 0), ("\u{A0}1", 0), ("\u{FEFF}{}", 0), ("[1,\u{0B}2]", 3),
    ] as [(String, Int)])
    func refusesMalformedDocumentsAtTheOffendingByte(text: String, offset: Int) {
        #expect(throws: refusal("malformed JSON at byte \(offset)")) { try parse(text) }
    }

    @Test(arguments: [
        ([0x22, 0xFF, 0x22], 1),                        // never valid
        ([0x22, 0xC0, 0x80, 0x22], 1),                  // overlong NUL
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], 1),            // overlong '/'
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),            // an encoded surrogate
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),      // past U+10FFFF
        ([0x22, 0xC3], 1),                              // cut short
        ([0x22, 0xC3, 0xA9, 0x80, 0x22], 3),            // a stray continuation after é
        ([0x5B, 0x31, 0x5D, 0xFE], 3),                  // trailing, outside any string
    ] as [([UInt8], Int)])
    func refusesInvalidUTF8(bytes: [UInt8], offset: Int) {
        #expect(throws: refusal("invalid UTF-8 at byte \(offset)")) { try JSONValue.parse(bytes) }
    }

    @Test func refusesNestingDeeperThanThirtyTwo() {
        let deep = refusal("JSON nested deeper than 32 levels")
        #expect(throws: deep) { try parse(String(repeating: "[", count: 33) + String(repeating: "]", count: 33)) }
        #expect(throws: deep) { try parse(String(repeating: #"{"a":"#, count: 32) + "{}" + String(repeating: "}", count: 32)) }
        #expect(throws: deep) { try parse(String(repeating: #"[{"a":"#, count: 17)) }
        #expect(throws: deep, "a hostile depth is refused long before the stack runs out") {
            try parse(String(repeating: "[", count: 1_000_000))
        }
    }

    @Test func refusesDuplicateMembersAtAnyDepth() {
        #expect(throws: refusal("duplicate member 'a'")) { try parse(#"{"a":1,"b":2,"a":3}"#) }
        #expect(throws: refusal("duplicate member 'a'")) { try parse(#"{"a":1,"a":1}"#) }
        #expect(throws: refusal("duplicate member 'x'")) { try parse(#"{"a":[{"x":1,"x":2}]}"#) }
        #expect(throws: refusal("duplicate member 'b'")) { try parse(#"[[{"o":{"b":null,"b":null}}]]"#) }
        #expect(throws: refusal("duplicate member ''")) { try parse(#"{"":1,"":2}"#) }
    }

    @Test func namesThatOnlyDifferInSpellingAreDuplicates() {
        #expect(throws: refusal("duplicate member 'a'"), "escaped and raw") { try parse(#"{"a":1,"\u0061":2}"#) }
        #expect(throws: refusal("duplicate member 'e?'"), "canonically equivalent") {
            try parse(#"{"\u00e9":1,"e\u0301":2}"#)
        }
    }

    @Test func hintsQuoteNamesAsShortPrintableASCII() {
        #expect(throws: refusal("duplicate member '?[31m?'")) { try parse(#"{"\u001b[31m\n":1,"\u001b[31m\n":2}"#) }
        let long = String(repeating: "n", count: 100)
        #expect(throws: refusal("duplicate member '\(String(repeating: "n", count: 37))...'")) {
            try parse("{\"\(long)\":1,\"\(long)\":2}")
        }
    }

    @Test func printableKeepsPrintableASCIIAndCutsAtForty() {
        #expect(JSONValue.printable("client_id") == "client_id")
        #expect(JSONValue.printable(" ~!'\"") == " ~!'\"")
        #expect(JSONValue.printable("a\u{0}b\u{7F}c\r\né😀") == "a?b?c????")
        #expect(JSONValue.printable(String(repeating: "x", count: 40)) == String(repeating: "x", count: 40))
        #expect(JSONValue.printable(String(repeating: "x", count: 41)) == String(repeating: "x", count: 37) + "...")
        #expect(JSONValue.printable("") == "")
    }

    // MARK: Output and equality

    @Test func writesCompactJSONWithMembersSortedByName() throws {
        let value = try parse(#" { "b" : 1, "a" : { "d" : [ true, false, null ], "c" : "x" }, "A" : -0.50E+1 } "#)
        #expect(compact(value) == #"{"A":-0.50E+1,"a":{"c":"x","d":[true,false,null]},"b":1}"#)
    }

    @Test func sortsByUTF8Bytes() throws {
        #expect(compact(try parse(#"{"é":1,"z":2,"":3,"Z":4,"aa":5,"a":6}"#)) == #"{"":3,"Z":4,"a":6,"aa":5,"z":2,"é":1}"#)
    }

    @Test func writesStringsEscapedAsJSONWriterDoes() throws {
        let value = try parse(#"["\u0001\n\r\t\"\\\/\b", "\uD83D\uDE00é", "\u007f"]"#)
        #expect(compact(value) == "[\"\\u0001\\n\\r\\t\\\"\\\\/\\u0008\",\"😀é\",\"\u{7F}\"]")
    }

    @Test func outputParsesBackToTheSortedValue() throws {
        let text = #"{"z":[{"y":"\u0000","x":-0}],"k":"\ud83d\ude00","e":1e-3,"n":null,"t":true}"#
        let once = compact(try parse(text))
        #expect(compact(try parse(once)) == once)
        #expect(try parse(once) == parse(#"{"e":1e-3,"k":"😀","n":null,"t":true,"z":[{"x":-0,"y":"\u0000"}]}"#))
    }

    @Test func writesHandBuiltValues() {
        #expect(compact(.object([])) == "{}")
        #expect(compact(.array([.null, .bool(false), .number("3"), .string("q\"")])) == #"[null,false,3,"q\""]"#)
    }

    @Test func equalityComparesNumbersAsTextAndMembersInOrder() throws {
        #expect(JSONValue.number("1.0") != .number("1"))
        #expect(try parse(#"{"a":1,"b":2}"#) != parse(#"{"b":2,"a":1}"#))
        #expect(try parse(#"{"a":1}"#) != parse(#"{"a":1,"b":2}"#))
        #expect(try parse(#"{"a":[1]}"#) == parse(#" {"a" : [1]} "#))
        #expect(JSONValue.string("1") != .number("1"))
        #expect(JSONValue.array([]) != .object([]))
    }
}
