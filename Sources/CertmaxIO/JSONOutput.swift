import Foundation

/// A JSON value for output, with keys kept in insertion order so the CLI's output is
/// stable and readable.
///
/// Numbers: a finite Double is written in Swift's shortest round-trip form, so the
/// printed decimal parses back to exactly the same Double (a printed bound is the bound).
/// Non-finite numbers, which JSON cannot hold, are written as the strings "inf" and
/// "-inf": this is the documented schema of every certmax output for a bound that is
/// legitimately infinite (a log-softmax lower bound below -DBL_MAX, a radius with no
/// zero in reach). NaN is never a bound: the reports replace it by a trivially sound
/// bound before printing (issue 15); should one slip through it is written as "nan" so
/// that it cannot pass for a number.
public indirect enum JSONOutput: Sendable, Equatable, ExpressibleByStringLiteral,
    ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral
{
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONOutput])
    case object([(String, JSONOutput)])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONOutput...) { self = .array(elements) }

    /// An array of numbers.
    public static func numbers(_ xs: [Double]) -> JSONOutput { .array(xs.map { .number($0) }) }
    /// A matrix of numbers.
    public static func matrix(_ rows: [[Double]]) -> JSONOutput { .array(rows.map { numbers($0) }) }

    public static func == (a: JSONOutput, b: JSONOutput) -> Bool { a.serialized() == b.serialized() }

    /// Compact (one line) or pretty (two-space indented) JSON text.
    public func serialized(pretty: Bool = false) -> String {
        var out = ""
        write(into: &out, pretty: pretty, indent: 0)
        return out
    }

    private func write(into out: inout String, pretty: Bool, indent: Int) {
        let nl = pretty ? "\n" : ""
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let closePad = pretty ? String(repeating: "  ", count: indent) : ""
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let d):
            if d.isNaN { out += "\"nan\"" } else if d == .infinity { out += "\"inf\"" }
            else if d == -.infinity { out += "\"-inf\"" } else { out += Self.format(d) }
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            // Arrays of scalars stay on one line even when pretty.
            let flat = items.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += flat || !pretty ? (pretty ? ", " : ",") : "," }
                if !flat { out += nl + pad }
                item.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if !flat { out += nl + closePad }
            out += "]"
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (k, v)) in fields.enumerated() {
                if i > 0 { out += "," }
                out += nl + pad
                Self.writeString(k, into: &out)
                out += pretty ? ": " : ":"
                v.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            out += nl + closePad + "}"
        }
    }

    /// Shortest round-trip decimal; integers-valued doubles keep a ".0" so the reader
    /// sees a float (e.g. 1.0, not 1), and exponents use JSON's 'e' syntax.
    static func format(_ d: Double) -> String {
        var s = "\(d)"
        if s.contains("e") && !s.contains(".") {
            // "1e-07" style is already valid JSON.
            return s
        }
        if !s.contains(".") && !s.contains("e") { s += ".0" }
        return s
    }

    private static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        out += "\""
    }
}
