import Foundation
import Testing
@testable import CatracaJSON

@Suite struct JSONReaderTests {
    private func parse(_ text: String, _ reader: JSONReader = JSONReader()) throws -> JSONValue {
        try reader.parse(Array(text.utf8))
    }

    private func error(_ text: String, _ reader: JSONReader = JSONReader()) -> JSONError? {
        do {
            _ = try parse(text, reader)
            return nil
        } catch let error as JSONError {
            return error
        } catch {
            return nil
        }
    }

    @Test func readsEveryKindOfValueWithKeysInOrder() throws {
        let value = try parse(#" {"z": [1, -2.5e3, true, false, null], "a": {"b": "c"}, "m": {}} "#)
        let object = try #require(value.object)
        #expect(object.keys == ["z", "a", "m"])
        #expect(object["z"] == [1, .number(JSONNumber(text: "-2.5e3")!), true, false, .null])
        #expect(object["a"] == ["b": "c"])
        #expect(object["m"] == .object(JSONObject()))
    }

    @Test func scalarsAreValidDocuments() throws {
        #expect(try parse("42") == 42)
        #expect(try parse(" \"x\" ") == "x")
        #expect(try parse("null") == .null)
        #expect(try parse("[]") == [])
    }

    @Test func numbersKeepTheirSourceText() throws {
        let value = try parse(#"[20231223134930, 1.50, 1E+2, -0, 123456789012345678901234567890]"#)
        let texts = try #require(value.array).compactMap { $0.string }
        #expect(texts == ["20231223134930", "1.50", "1E+2", "-0", "123456789012345678901234567890"])
        #expect(JSONWriter().text(value) == "[20231223134930,1.50,1E+2,-0,123456789012345678901234567890]")
    }

    @Test(arguments: ["01", "-", "1.", ".5", "1e", "1e+", "+1", "NaN", "Infinity", "-Infinity", "0x10", "12abc",
                      "1.5.2", "--1"])
    func malformedNumbersAreRefused(text: String) {
        #expect(error("[\(text)]") != nil)
    }

    @Test func leadingZeroIsReportedAsAnInvalidNumberAtItsOffset() {
        #expect(error(#"{"a": 012}"#) == JSONError(.invalidNumber, at: 6))
    }

    @Test func escapesAreDecoded() throws {
        let value = try parse(#""a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\u20AC""#)
        #expect(value == .string("a\"b\\c/d\u{8}\u{C}\n\r\tAé€"))
    }

    @Test func surrogatePairsBecomeOneCharacter() throws {
        #expect(try parse(#""\uD83D\uDE00""#) == .string("😀"))
    }

    @Test func loneSurrogatesBecomeTheReplacementCharacter() throws {
        #expect(try parse(#""x\uD83Dy""#) == .string("x\u{FFFD}y"))
        #expect(try parse(#""\uDE00""#) == .string("\u{FFFD}"))
        #expect(try parse(#""\uD83D\u0041""#) == .string("\u{FFFD}A"))
    }

    @Test func rawUTF8IsKept() throws {
        #expect(try parse(#"{"name":"João Ñandú 😀"}"#)["name"] == .string("João Ñandú 😀"))
    }

    @Test func invalidUTF8IsRefused() throws {
        var bytes = Array(#"["ab"#.utf8)
        bytes.append(0xFF)
        bytes.append(contentsOf: Array(#""]"#.utf8))
        #expect(throws: JSONError(.invalidUTF8, at: 1)) { try JSONReader().parse(bytes) }
    }

    @Test func controlCharactersInStringsAreRefused() {
        #expect(error("\"a\nb\"") == JSONError(.controlCharacterInString(0x0A), at: 2))
        #expect(error("\"a\\tb\u{1}\"") == JSONError(.controlCharacterInString(0x01), at: 5))
    }

    @Test func unknownEscapesAreRefused() {
        #expect(error(#""\x41""#) == JSONError(.invalidEscape, at: 1))
        #expect(error(#""\u12G4""#) == JSONError(.invalidEscape, at: 1))
        #expect(error(#""\u12""#) == JSONError(.invalidEscape, at: 1))
    }

    @Test func trailingCommasAreAcceptedByDefault() throws {
        #expect(try parse(#"[{"a":1,},]"#) == [["a": 1]])
    }

    @Test func trailingCommasCanBeRefused() {
        let strict = JSONReader(allowTrailingCommas: false)
        #expect(error("[1,]", strict) == JSONError(.trailingComma, at: 2))
        #expect(error(#"{"a":1 , }"#, strict) == JSONError(.trailingComma, at: 7))
    }

    @Test func aLoneCommaOrDoubleCommaIsStillAnError() {
        #expect(error("[,]") != nil)
        #expect(error("[1,,]") != nil)
        #expect(error(#"{,}"#) != nil)
    }

    @Test(arguments: ["", " ", "[", "[1", "[1,", #"{"a""#, #"{"a":"#, #"{"a":1"#, #""abc"#, "tru", "nul"])
    func truncatedTextIsRefused(text: String) {
        #expect(error(text) != nil)
    }

    @Test(arguments: ["[1] 2", "{} {}", "1 2", "truex", "[1]]"])
    func textAfterTheValueIsRefused(text: String) {
        #expect(error(text) != nil)
    }

    @Test func errorsNameTheProblemAndTheOffset() {
        let found = error(#"{"a" 1}"#)
        #expect(found == JSONError(.unexpectedByte(found: UInt8(ascii: "1"), expected: "':' after a member name"),
                                   at: 5))
        #expect(found?.description == "invalid JSON at byte 5: found '1' where ':' after a member name was expected")
    }

    @Test func deepNestingIsRefusedQuicklyWithoutRecursion() {
        let deep = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        let started = Date()
        #expect(throws: JSONError(.tooDeep(limit: 64), at: 64)) { try JSONReader().parse(deep) }
        #expect(Date().timeIntervalSince(started) < 0.5)
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let reader = JSONReader(maxDepth: 3)
        #expect(try parse("[[[1]]]", reader) == [[[1]]])
        #expect(error("[[[[1]]]]", reader) == JSONError(.tooDeep(limit: 3), at: 3))
        #expect(error(#"{"a":{"b":{"c":{}}}}"#, reader) == JSONError(.tooDeep(limit: 3), at: 15))
    }

    @Test func deepNestingWithinAGenerousLimitParses() throws {
        let depth = 2_000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let value = try parse(text, JSONReader(maxDepth: depth))
        #expect(value.array?.count == 1)
    }

    @Test func oversizedTextIsRefusedBeforeParsing() {
        #expect(error("[1,2,3]", JSONReader(maxBytes: 4)) == JSONError(.tooLarge(size: 7, limit: 4), at: 4))
    }

    @Test func duplicateKeysAreKeptAndTheFirstWins() throws {
        let object = try #require(try parse(#"{"a":1,"a":2}"#).object)
        #expect(object.count == 2)
        #expect(object["a"] == 1)
        #expect(JSONWriter().text(.object(object)) == #"{"a":1,"a":2}"#)
    }

    @Test func largeStringsAreReadWhole() throws {
        let payload = String(repeating: "QUJD", count: 2_000_000)
        let value = try parse(#"{"image":""# + payload + #"","x":"a\nb"}"#)
        #expect(value["image"]?.string?.utf8.count == 8_000_000)
        #expect(value["x"] == "a\nb")
    }

    @Test func readsFromARawBuffer() throws {
        let bytes = Array(#"{"ok":true}"#.utf8)
        let value = try bytes.withUnsafeBytes { try JSONReader().parse($0) }
        #expect(value == ["ok": true])
    }
}

@Suite struct JSONValueLimitTests {
    @Test func aTextWithMoreValuesThanTheLimitIsRefusedEarly() {
        let text = "[" + Array(repeating: "[]", count: 1_000).joined(separator: ",") + "]"
        #expect {
            try JSONReader(maxValues: 500).parse(text)
        } throws: { error in
            "\(error)".contains("more than 500 values")
        }
        #expect(throws: Never.self) { try JSONReader(maxValues: 1_001).parse(text) }
    }
}
