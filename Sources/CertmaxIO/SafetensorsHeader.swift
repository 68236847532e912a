import Foundation

/// A strict JSON parser for safetensors headers.
///
/// Why not JSONDecoder: a header with a duplicated tensor name is ambiguous (Foundation's
/// decoder silently keeps the first entry, Python's json module the last, so two tools
/// would read different weights); integers such as offsets should be read exactly; and
/// nesting must be bounded. This parser follows RFC 8259 (no extensions), rejects
/// duplicate keys in every object, keeps integer literals that fit in `Int` exact, limits
/// nesting to `maximumDepth`, and never traps on any input.
enum SafetensorsHeaderValue: Equatable {
    case object([(key: String, value: SafetensorsHeaderValue)])
    case array([SafetensorsHeaderValue])
    case string(String)
    /// An integer literal (no fraction or exponent) that fits in Int.
    case integer(Int)
    /// Any other number, rounded to the nearest Double (may be infinite for huge literals).
    case number(Double)
    case bool(Bool)
    case null

    static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(x), .array(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    var kindName: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .integer, .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    struct ParseError: Error, Equatable {
        var message: String
        var offset: Int
    }

    static let maximumDepth = 64

    /// Parses a complete JSON text (surrounding white space allowed).
    static func parse(_ bytes: [UInt8]) throws(ParseError) -> SafetensorsHeaderValue {
        var p = Parser(bytes: bytes)
        p.skipWhitespace()
        let v = try p.value(depth: 0)
        p.skipWhitespace()
        guard p.i == bytes.count else { throw ParseError(message: "unexpected text after the JSON value", offset: p.i) }
        return v
    }

    struct Parser {
        let bytes: [UInt8]
        var i = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func fail(_ message: String) -> ParseError { ParseError(message: message, offset: i) }

        mutating func skipWhitespace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        }

        mutating func expect(_ c: UInt8, _ what: String) throws(ParseError) {
            guard i < bytes.count, bytes[i] == c else { throw fail("expected \(what)") }
            i += 1
        }

        mutating func literal(_ word: String, _ v: SafetensorsHeaderValue) throws(ParseError) -> SafetensorsHeaderValue {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { throw fail("invalid literal") }
            i += w.count
            return v
        }

        mutating func value(depth: Int) throws(ParseError) -> SafetensorsHeaderValue {
            guard i < bytes.count else { throw fail("unexpected end of header") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                guard depth < SafetensorsHeaderValue.maximumDepth else { throw fail("nesting deeper than \(SafetensorsHeaderValue.maximumDepth)") }
                i += 1
                var members: [(key: String, value: SafetensorsHeaderValue)] = []
                var seen = Set<String>()
                skipWhitespace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                while true {
                    skipWhitespace()
                    let keyOffset = i
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                    let key = try string()
                    guard seen.insert(key).inserted else {
                        throw ParseError(message: "duplicate key \"\(key)\"", offset: keyOffset)
                    }
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"), "':'")
                    skipWhitespace()
                    let v = try value(depth: depth + 1)
                    members.append((key, v))
                    skipWhitespace()
                    guard i < bytes.count else { throw fail("unexpected end of header") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    try expect(UInt8(ascii: "}"), "',' or '}'")
                    return .object(members)
                }
            case UInt8(ascii: "["):
                guard depth < SafetensorsHeaderValue.maximumDepth else { throw fail("nesting deeper than \(SafetensorsHeaderValue.maximumDepth)") }
                i += 1
                var items: [SafetensorsHeaderValue] = []
                skipWhitespace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    skipWhitespace()
                    items.append(try value(depth: depth + 1))
                    skipWhitespace()
                    guard i < bytes.count else { throw fail("unexpected end of header") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    try expect(UInt8(ascii: "]"), "',' or ']'")
                    return .array(items)
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return try number()
            default:
                throw fail("unexpected character")
            }
        }

        mutating func digits() -> Int {
            let start = i
            while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
            return i - start
        }

        mutating func number() throws(ParseError) -> SafetensorsHeaderValue {
            let start = i
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count else { throw fail("invalid number") }
            if bytes[i] == UInt8(ascii: "0") {
                i += 1
            } else if digits() == 0 {
                throw fail("invalid number")
            }
            var integral = true
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                integral = false
                guard digits() > 0 else { throw fail("invalid number") }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                integral = false
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard digits() > 0 else { throw fail("invalid number") }
            }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            if integral, let n = Int(text) { return .integer(n) }
            guard let d = Double(text) else { throw ParseError(message: "invalid number", offset: start) }
            return .number(d)
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard i + 4 <= bytes.count else { throw fail("truncated \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[i]
                let d: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
                default: throw fail("invalid \\u escape")
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }

        /// A string starting at the opening quote.
        mutating func string() throws(ParseError) -> String {
            let start = i
            i += 1
            var out: [UInt8] = []
            while true {
                guard i < bytes.count else { throw ParseError(message: "unterminated string", offset: start) }
                let c = bytes[i]
                if c == UInt8(ascii: "\"") { i += 1; break }
                if c < 0x20 { throw fail("control character in a string") }
                if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
                i += 1
                guard i < bytes.count else { throw fail("unterminated escape") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard i + 2 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw fail("unpaired surrogate in \\u escape")
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired surrogate in \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw fail("unpaired surrogate in \\u escape")
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    throw fail("invalid escape")
                }
            }
            guard let s = String(bytes: out, encoding: .utf8) else { throw ParseError(message: "string is not valid UTF-8", offset: start) }
            return s
        }
    }
}
