import Foundation
import Semantic
import Testing

/// The tracking routes' JSON reader, checked against Foundation's JSONSerialization as the
/// independent reference: the same documents accepted with the same values, the same refused.
@Suite("JSON reader")
struct JSONReaderTests {
    func read(_ text: String) throws(JSONReadError) -> JSONValue {
        try JSONReader.read(Array(text.utf8))
    }

    /// Our value as Foundation's `Any`, for comparing with JSONSerialization's.
    func plain(_ value: JSONValue) -> Any {
        switch value {
        case .null: NSNull()
        case .bool(let flag): flag
        case .number(let number, _): number
        case .string(let text): text
        case .array(let items): items.map(plain)
        case .object(let object): Dictionary(object.uniqueMembers.map { ($0.name, plain($0.value)) }, uniquingKeysWith: { $1 })
        }
    }

    /// Foundation's own sorted-key text of a value: two values are the same when it is.
    func canonical(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    static let valid = [
        #"{}"#, #"[]"#, #" { "a" : [ 1 , 2.5 , -1 , 0 , 1e3 , 1E+2 , -1.25e-3 ] } "#,
        #"{"experimentId":"exp_checkout_button","variantId":"control","userKey":"u1","eventType":"exposure"}"#,
        #"{"s":"tab\tnew\nline \"quoted\" back\\slash \/ \u00e9 \ud83d\ude00 \u0001"}"#,
        #"{"nested":{"deeper":[{"x":null},{"y":true},{"z":false}]}}"#,
        #"{"raw":"héllo wörld 😀"}"#, #"{"big":123456789012345,"small":0.000001}"#,
        #"{"dup":1,"dup":2}"#, #"["a",["b",["c"]]]"#, #""just a string""#, #"42"#, #"null"#, "\u{FEFF}{\"bom\":true}",
    ]

    static let invalid = [
        "", " ", "{", "}", #"{"a":1,}"#, #"[1,]"#, #"{"a" 1}"#, #"{a:1}"#, #"{'a':1}"#, #"[01]"#, #"[1.]"#, #"[.5]"#,
        #"[1e]"#, #"[-]"#, #"[NaN]"#, #"[Infinity]"#, #"[1e400]"#, #"["a"#, #"["\x"]"#, #"["\u12"]"#,
        "[\"a\u{1}b\"]", #"["\ud800"]"#, #"["\udc00"]"#, #"["\ud800\u0041"]"#, #"{} {}"#, #"[1] x"#, #"tru"#, #"nul"#,
        "// comment\n{}", #"[1,,2]"#, "\u{FEFF}", "{}\u{FEFF}", "[\u{FEFF}1]",
    ]

    @Test(arguments: valid)
    func readsWhatFoundationReads(_ text: String) throws {
        let ours = try read(text)
        let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        #expect(try canonical(plain(ours)) == canonical(theirs), "\(text)")
    }

    @Test(arguments: invalid)
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: JSONReadError.self, "\(text)") { try read(text) }
    }

    @Test func refusesBytesThatAreNotUTF8() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x5B, 0x22, 0x5C, 0x6E, 0xED, 0xA0, 0x80, 0x22, 0x5D]] {
            #expect(throws: JSONReadError.self) { try JSONReader.read(bytes) }
        }
    }

    @Test func limitsNesting() throws {
        let deep = String(repeating: "[", count: JSONReader.maximumDepth) + String(repeating: "]", count: JSONReader.maximumDepth)
        _ = try read(deep)
        let deeper = "[" + deep + "]"
        let error = try #require(throws: JSONReadError.self) { try read(deeper) }
        #expect(error.message.contains("512"))
    }

    @Test func namesTheByteWhereItStopped() throws {
        let error = try #require(throws: JSONReadError.self) { try read(#"{"a":1,"b":tru}"#) }
        #expect(error.offset == 11)
        #expect(error.message == "expected true")
    }

    @Test func serialisesWithSortedKeysAndNumbersAsSent() throws {
        let value = try read(#"{"z":1.50,"a":{"y":[1e3,"é\"\n"],"b":null},"m":true,"dup":1,"dup":2}"#)
        #expect(value.serialized() == #"{"a":{"b":null,"y":[1e3,"é\"\n"]},"dup":2,"m":true,"z":1.50}"#)
        // What it writes reads back to the same value in Foundation.
        let again = try JSONSerialization.jsonObject(with: Data(value.serialized().utf8), options: [.fragmentsAllowed])
        #expect(try canonical(plain(value)) == canonical(again))
    }

    @Test func readsNumbersAsDoublesKeepingTheirText() throws {
        #expect(try read("-0") == .number(0, text: "-0"))
        #expect(try read("1E+2") == .number(100, text: "1E+2"))
        #expect(try read("123456789012345") == .number(123_456_789_012_345, text: "123456789012345"))
        // Beyond Int64 the whole text is rounded to a Double (found by the fuzzer: JSONSerialization
        // keeps 38 digits of such an integer); `props` keep the text as sent.
        let big = String(repeating: "7", count: 83) + "1"
        #expect(try read(big) == .number(Double(big) ?? 0, text: big))
    }

    @Test func findsNUL() throws {
        #expect(try read(#"{"a":"x\u0000y"}"#).containsNUL)
        #expect(try read(#"{"x\u0000":1}"#).containsNUL)
        #expect(try !read(#"{"a":["b",{"c":"d"}]}"#).containsNUL)
    }
}
