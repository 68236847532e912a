import CertmaxIO
import Foundation
import Testing

/// Issue 15: JSON inputs that Foundation's decoder accepts silently are rejected with a
/// one-line error naming the file and the place (exit code 65).
@Suite struct StrictJSONTests {
    static func parse(_ bytes: [UInt8]) -> InputError? {
        do {
            _ = try JSONDocument(data: Data(bytes), source: "box.json")
            return nil
        } catch { return error }
    }

    static func parse(_ text: String) -> InputError? { parse(Array(text.utf8)) }

    @Test func rejectsWhatRFC8259Rejects() {
        let cases: [(String, String)] = [
            (#"{"lower":[0,1,],"upper":[1,2]}"#, #"box.json: malformed JSON: trailing comma before "]" (line 1, column 15)"#),
            (#"{"lower":[0,1],"upper":[1,2],}"#, #"box.json: malformed JSON: trailing comma before "}" (line 1, column 30)"#),
            ("{\"lower\":[0,1],\n \"lower\":[5,6],\"upper\":[1,2]}", #"box.json: malformed JSON: duplicate key "lower" (line 2, column 2)"#),
            (#"{"lower":[0x10,1],"upper":[1,2]}"#, #"box.json: malformed JSON: invalid number (only decimal JSON numbers are allowed) (line 1, column 11)"#),
            (#"{"lower":[01,1],"upper":[1,2]}"#, #"box.json: malformed JSON: leading zeros are not allowed in numbers (line 1, column 11)"#),
            (#"{"lower":[0,1] "upper":[1,2]}"#, #"box.json: malformed JSON: expected "," or "}", found a string (line 1, column 16)"#),
            (#"{"lower":[0,1],"upper":[1,2]} x"#, #"box.json: malformed JSON: unexpected text after the JSON value (line 1, column 31)"#),
            (#"{"lower":[0,1],"upper":[1,2],"temperature":null}"#, #"box.json: field "temperature": null is not allowed (omit the field to use its default)"#),
            (#"{"lower":[0,1],"upper":[1,2],"temperature":NaN}"#, #"box.json: malformed JSON: expected a JSON value, found "N" (line 1, column 44)"#),
        ]
        for (text, message) in cases {
            let e = Self.parse(text)
            #expect(e?.description == message, "\(text)")
            #expect(e?.exitCode == .badInput)
        }
    }

    @Test func rejectsBOMAndUTF16() {
        let text = #"{"lower":[0],"upper":[1]}"#
        let bom = Self.parse([0xEF, 0xBB, 0xBF] + Array(text.utf8))
        #expect(bom?.description == "box.json: line 1, column 1: UTF-8 byte order mark is not allowed (JSON input must be UTF-8 without BOM)")
        let le = Self.parse(text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let be = Self.parse([0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        for e in [le, be] {
            #expect(e?.description == "box.json: line 1, column 1: UTF-16 or UTF-32 text is not allowed (JSON input must be UTF-8)")
        }
        #expect(Self.parse([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D])?.description == "box.json: not valid UTF-8 text")
    }

    @Test func acceptsValidDocuments() throws {
        let text = " {\"lower\" : [ -0.5e-3 , 1E+2, 0 ], \"upper\":[1,2.25,3], \"note\": \"a\\u00e9\\n\\\"b\\\"\", \"n\": {\"a\": [], \"b\": {}}, \"t\": true, \"f\": false}\r\n"
        let d = try JSONDocument(data: Data(text.utf8), source: "ok.json")
        #expect(try d.doubles("lower") == [-0.5e-3, 100, 0])
        #expect(try d.string("note") == "a\u{e9}\n\"b\"")
        // Keys that differ only in escaping are duplicates.
        #expect(Self.parse(#"{"a":1,"\u0061":2}"#)?.description == #"box.json: malformed JSON: duplicate key "a" (line 1, column 8)"#)
    }
}
