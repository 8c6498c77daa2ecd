import Detect
import Foundation
import Testing

@Suite struct JSONObjectSplitterTests {
    private func split(_ text: String) throws -> [(String, String)] {
        var splitter = JSONObjectSplitter()
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBytes { raw in
            let members = try splitter.split(UnsafeRawBufferPointer(raw))
            return members.map { ($0.name, String(decoding: raw[$0.value], as: UTF8.self)) }
        }
    }

    @Test(
        "valid objects split into names and exact value text",
        arguments: [
            (#"{}"#, [String]()),
            (#" { "a" : 1 } "#, ["a=1"]),
            (
                #"{"a":-0.0e-0,"b":[],"c":{},"d":[{}, [], "x"],"e":true,"f":false,"g":null}"#,
                ["a=-0.0e-0", "b=[]", "c={}", #"d=[{}, [], "x"]"#, "e=true", "f=false", "g=null"]
            ),
            (#"{"\u006Eame":"v\/\b\f\n\r\t\\\"","é":"ü"}"#, [#"name="v\/\b\f\n\r\t\\\"""#, #"é="ü""#]),
            (#"{"n": 1.50, "m": {"x": [1, {"y": [null]}]}}"#, ["n=1.50", #"m={"x": [1, {"y": [null]}]}"#]),
        ])
    func splitsValid(text: String, expected: [String]) throws {
        #expect(try split(text).map { "\($0.0)=\($0.1)" } == expected)
    }

    @Test(
        "invalid JSON is rejected",
        arguments: [
            "", "   ", "[]", "1", #""a""#, "{", "}", #"{"a"}"#, #"{"a":}"#, #"{"a":1,}"#, #"{,"a":1}"#, #"{a:1}"#,
            #"{'a':1}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":1e}"#, #"{"a":+1}"#, #"{"a":-}"#,
            #"{"a":tru}"#, #"{"a":nul}"#, #"{"a":True}"#, #"{"a":NaN}"#, #"{"a":"\x"}"#, #"{"a":"\u12"}"#,
            #"{"a":"\u12G4"}"#, "{\"a\":\"tab\there\"}", #"{"a":[1,]}"#, #"{"a":[1 2]}"#, #"{"a":{"b"}}"#,
            #"{"a":{"b":1,}}"#, #"{"a":[}"#, #"{"a":{]}"#, #"{"a":1}{"b":2}"#, #"{"a":1} x"#, #"{"a":"unterminated}"#,
            #"{"a":1 "b":2}"#,
        ])
    func rejectsInvalid(text: String) {
        #expect(throws: JSONSyntaxError.self) { try split(text) }
    }

    @Test("deep nesting is refused without exhausting the stack")
    func refusesDeepNesting() throws {
        let deep = "{\"a\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect { try split(deep) } throws: { ($0 as? JSONSyntaxError)?.message.contains("nested deeper") == true }
        let fine = "{\"a\":" + String(repeating: "[", count: 500) + String(repeating: "]", count: 500) + "}"
        #expect(try split(fine).count == 1)
    }

    @Test("every value of a serialized object re-parses to the same JSON")
    func agreesWithJSONSerialization() throws {
        let object: [String: Any] = [
            "text": "quote \" backslash \\ newline \n tab \t emoji 😀 control \u{01}",
            "numbers": [0, -1, 3.25, 1e-7, 12_345_678_901_234],
            "nested": ["a": [["b": NSNull()], true, false]],
            "ünïcode": "日本語",
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let members = try split(String(decoding: data, as: UTF8.self))
        #expect(members.map(\.0) == ["nested", "numbers", "text", "ünïcode"])
        for (name, value) in members {
            let reparsed = try JSONSerialization.jsonObject(with: Data(value.utf8), options: [.fragmentsAllowed])
            let original = try JSONSerialization.data(withJSONObject: [object[name]!], options: [.sortedKeys])
            let again = try JSONSerialization.data(withJSONObject: [reparsed], options: [.sortedKeys])
            #expect(original == again, "\(name)")
        }
    }

    @Test("strings decode escapes and surrogate pairs; lone surrogates become U+FFFD")
    func decodesStrings() throws {
        #expect(JSONString.decodeLiteral(#""caf\u00e9 \ud83d\ude00 \"q\" \/""#)! == ("café 😀 \"q\" /", false))
        #expect(JSONString.decodeLiteral(#""lone \ud83d here""#)! == ("lone \u{FFFD} here", true))
        #expect(JSONString.decodeLiteral(#""low \ude00""#)! == ("low \u{FFFD}", true))
        #expect(JSONString.decodeLiteral("42") == nil)
        let tricky = "a\"b\\c\nd\u{01}é😀"
        let quoted = JSONString.quote(tricky)
        #expect(quoted == #""a\"b\\c\nd\u0001é😀""#)
        #expect(JSONString.decodeLiteral(quoted)! == (tricky, false))
    }
}
