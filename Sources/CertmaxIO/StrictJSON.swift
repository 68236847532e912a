import Foundation

/// A strict RFC 8259 syntax check run before decoding every JSON input (issue 15).
///
/// Foundation's decoder accepts more than the RFC: trailing commas, a UTF-8 byte order
/// mark, UTF-16/UTF-32 text, and duplicate object keys (the first one silently wins). A
/// verifier must not guess what a malformed input meant, so `StrictJSON.check` rejects:
/// - a byte order mark or UTF-16/UTF-32 text (JSON exchanged between systems is UTF-8);
/// - anything outside the RFC grammar: trailing commas, missing commas or colons,
///   comments, single quotes, bare words other than `true`/`false`/`null`, leading zeros,
///   `+` signs, hex or other non-decimal numbers, control characters inside strings,
///   invalid escapes, text after the top-level value;
/// - invalid UTF-8;
/// - duplicate keys within one object (compared after unescaping);
/// - nesting deeper than `maximumDepth` (512).
///
/// Errors are `InputError(.invalid)` naming the source and `line L, column C` (1-based,
/// columns in bytes), e.g. `box.json: malformed JSON: trailing comma before "]" (line 3, column 14)`.
/// Complexity: O(n) time; O(depth + keys of the open objects) memory.
public enum StrictJSON {
    public static let maximumDepth = 512

    public static func check(_ data: Data, source: String) throws(InputError) {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw InputError(source: source, location: "line 1, column 1", problem: "UTF-8 byte order mark is not allowed (JSON input must be UTF-8 without BOM)")
        }
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE])
            || (bytes.count >= 2 && (bytes[0] == 0 || bytes[1] == 0)) {
            throw InputError(source: source, location: "line 1, column 1", problem: "UTF-16 or UTF-32 text is not allowed (JSON input must be UTF-8)")
        }
        if String(validating: bytes, as: UTF8.self) == nil {
            throw InputError(source: source, problem: "not valid UTF-8 text")
        }
        var p = Parser(bytes: bytes, source: source)
        p.skipSpace()
        try p.value(depth: 0)
        p.skipSpace()
        if p.i < bytes.count { throw p.fail("unexpected text after the JSON value") }
    }

    struct Parser {
        let bytes: [UInt8]
        let source: String
        var i = 0

        init(bytes: [UInt8], source: String) {
            self.bytes = bytes
            self.source = source
        }

        func fail(_ problem: String, at position: Int? = nil) -> InputError {
            let pos = Swift.min(position ?? i, bytes.count)
            var line = 1, col = 1
            for b in bytes[0..<pos] {
                if b == 0x0A { line += 1; col = 1 } else { col += 1 }
            }
            // "<file>: malformed JSON: <what> (line L, column C)": the same prefix as the
            // decoder's errors, which callers (and the C API's tests) match on.
            return InputError(source: source, problem: "malformed JSON: \(problem) (line \(line), column \(col))")
        }

        var current: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func skipSpace() {
            while let b = current, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { i += 1 }
        }

        func describe(_ b: UInt8?) -> String {
            guard let b else { return "end of input" }
            if b == UInt8(ascii: "\"") { return "a string" }
            if b >= 0x21 && b < 0x7F { return "\"\(Character(UnicodeScalar(b)))\"" }
            return "byte 0x\(String(b, radix: 16))"
        }

        mutating func value(depth: Int) throws(InputError) {
            if depth > StrictJSON.maximumDepth { throw fail("nesting deeper than \(StrictJSON.maximumDepth) levels") }
            switch current {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case let b? where b == UInt8(ascii: "-") || (b >= 0x30 && b <= 0x39): try number()
            default: throw fail("expected a JSON value, found \(describe(current))")
            }
        }

        mutating func literal(_ word: String) throws(InputError) {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else {
                throw fail("expected a JSON value, found \(describe(current))")
            }
            i += w.count
        }

        mutating func object(depth: Int) throws(InputError) {
            i += 1
            skipSpace()
            var keys = Set<String>()
            if current == UInt8(ascii: "}") { i += 1; return }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else {
                    if current == UInt8(ascii: "}") { throw fail("trailing comma before \"}\"") }
                    throw fail("expected a string key, found \(describe(current))")
                }
                let at = i
                let key = try string()
                if !keys.insert(key).inserted { throw fail("duplicate key \"\(key)\"", at: at) }
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw fail("expected \":\" after the key, found \(describe(current))") }
                i += 1
                skipSpace()
                try value(depth: depth + 1)
                skipSpace()
                if current == UInt8(ascii: ",") { i += 1; continue }
                if current == UInt8(ascii: "}") { i += 1; return }
                throw fail("expected \",\" or \"}\", found \(describe(current))")
            }
        }

        mutating func array(depth: Int) throws(InputError) {
            i += 1
            skipSpace()
            if current == UInt8(ascii: "]") { i += 1; return }
            while true {
                skipSpace()
                if current == UInt8(ascii: "]") { throw fail("trailing comma before \"]\"") }
                try value(depth: depth + 1)
                skipSpace()
                if current == UInt8(ascii: ",") { i += 1; continue }
                if current == UInt8(ascii: "]") { i += 1; return }
                throw fail("expected \",\" or \"]\", found \(describe(current))")
            }
        }

        /// Parses a string at `i` (which is a quote) and returns its unescaped value.
        mutating func string() throws(InputError) -> String {
            i += 1
            var out = [UInt8]()
            while true {
                guard let b = current else { throw fail("unterminated string") }
                if b == UInt8(ascii: "\"") { i += 1; break }
                if b < 0x20 { throw fail("control character \(describe(b)) inside a string (escape it)") }
                if b == UInt8(ascii: "\\") {
                    i += 1
                    guard let e = current else { throw fail("unterminated string") }
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        guard i + 4 < bytes.count,
                              let v = UInt32(String(decoding: bytes[(i + 1)...(i + 4)], as: UTF8.self), radix: 16),
                              bytes[(i + 1)...(i + 4)].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) })
                        else { throw fail("invalid \\u escape (need four hex digits)") }
                        // Keys are compared by their escape text for surrogates (rare); others by code point.
                        if let s = UnicodeScalar(v) { out.append(contentsOf: Array(String(Character(s)).utf8)) }
                        else { out.append(contentsOf: Array("\\u\(String(v, radix: 16))".utf8)) }
                        i += 4
                    default: throw fail("invalid escape \"\\\(Character(UnicodeScalar(e)))\"")
                    }
                    i += 1
                    continue
                }
                out.append(b)
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func number() throws(InputError) {
            let start = i
            func digits(_ p: inout Parser) -> Int {
                var n = 0
                while let b = p.current, b >= 0x30 && b <= 0x39 { p.i += 1; n += 1 }
                return n
            }
            if current == UInt8(ascii: "-") { i += 1 }
            if current == UInt8(ascii: "0") {
                i += 1
                if let b = current, b >= 0x30 && b <= 0x39 { throw fail("leading zeros are not allowed in numbers", at: start) }
            } else if digits(&self) == 0 {
                throw fail("invalid number", at: start)
            }
            if current == UInt8(ascii: ".") {
                i += 1
                if digits(&self) == 0 { throw fail("invalid number (digits needed after \".\")", at: start) }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                i += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { i += 1 }
                if digits(&self) == 0 { throw fail("invalid number (digits needed in the exponent)", at: start) }
            }
            if let b = current, (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: ".") {
                throw fail("invalid number (only decimal JSON numbers are allowed)", at: start)
            }
        }
    }
}
