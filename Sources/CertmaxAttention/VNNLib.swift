import CertmaxIO
import Foundation

/// A VNN-LIB 1.0 property over an attention layer (the subset of DESIGN.md section 5).
///
/// Variables: `X_i` index the flattened input [T, d] row-major (i = t * d + j) and `Y_k`
/// the flattened output [T, d_out] row-major. Supported commands:
/// `(declare-const X_i Real)`, `(declare-const Y_k Real)`, and `(assert F)` where F is an
/// atom `(<= a b)`, `(>= a b)`, `(< a b)`, `(> a b)` over linear expressions of
/// variables and numbers (`(+ ..)`, `(- ..)`, `(* number e)`), or `(and F..)` /
/// `(or F..)` of atoms nested at most as or-of-and. Asserts over X must be bounds of a
/// single X variable by a number (they form the input box); asserts over Y describe the
/// *unsafe* outputs (VNN-LIB convention: the property is violated iff some input in
/// the box yields outputs satisfying every assert). Comments start with `;`.
public struct VNNLibProperty: Sendable {
    /// Number of declared X and Y variables.
    public var inputCount: Int
    public var outputCount: Int
    /// Input box per X variable, if the file bounds X (lower, upper; every X must be
    /// bounded on both sides).
    public var inputLower: [Double]?
    public var inputUpper: [Double]?
    /// The safe property: the negation of the conjunction of the Y asserts.
    public var property: PropertyFormula

    /// Parses VNN-LIB text. Errors name `source`, the line and the problem.
    public init(text: String, source: String) throws(InputError) {
        var p = Parser(text: text, source: source)
        var xs = Set<Int>(), ys = Set<Int>()
        var lower: [Int: Double] = [:], upper: [Int: Double] = [:]
        var unsafe: [PropertyFormula] = []
        while let top = try p.next() {
            guard case .list(let items, let line) = top, case .symbol(let head, _)? = items.first else {
                throw InputError(source: source, location: "line \(top.line)", problem: "expected a (command ...)")
            }
            switch head {
            case "declare-const":
                guard items.count == 3, case .symbol(let name, _) = items[1], case .symbol("Real", _) = items[2] else {
                    throw InputError(source: source, location: "line \(line)", problem: "expected (declare-const X_i Real) or (declare-const Y_j Real)")
                }
                let (kind, idx) = try Parser.variable(name, line: line, source: source)
                if kind == "X" { xs.insert(idx) } else { ys.insert(idx) }
            case "assert":
                guard items.count == 2 else { throw InputError(source: source, location: "line \(line)", problem: "assert takes one formula") }
                let f = try p.formula(items[1], depth: 0)
                let vars = f.variables
                if vars.contains(where: { $0.0 == "X" }) {
                    guard !vars.contains(where: { $0.0 == "Y" }), case .atom(let a) = f, a.terms.count == 1,
                          a.terms[0].coefficient == 1 || a.terms[0].coefficient == -1 else {
                        throw InputError(source: source, location: "line \(line)", problem: "asserts on X must bound one X variable by a number, e.g. (<= X_0 0.5)")
                    }
                    let idx = a.terms[0].index
                    if a.strict {
                        // The closed box would be a sound superset for verification, but a
                        // counterexample found on its boundary would lie outside the open
                        // region and make a `violated` verdict wrong: refuse instead.
                        throw InputError(source: source, location: "line \(line)",
                                         problem: "strict bound on X_\(idx) is not supported (a counterexample on the boundary would lie outside the region); use <= or >=")
                    }
                    if a.terms[0].coefficient == 1 { upper[idx] = Swift.min(upper[idx] ?? .infinity, a.bound) }
                    else { lower[idx] = Swift.max(lower[idx] ?? -.infinity, -a.bound) }
                } else {
                    unsafe.append(f.formula)
                }
            default:
                throw InputError(source: source, location: "line \(line)", problem: "unsupported command \(head) (only declare-const and assert)")
            }
        }
        for (kind, set) in [("X", xs), ("Y", ys)] where !set.isEmpty {
            if set.count != (set.max()! + 1) {
                throw InputError(source: source, problem: "\(kind) variables must be declared as \(kind)_0..\(kind)_\(set.count - 1) without gaps")
            }
        }
        for (kind, index) in p.used where kind == "X" ? !xs.contains(index) : !ys.contains(index) {
            throw InputError(source: source, problem: "\(kind)_\(index) is used but not declared")
        }
        if unsafe.isEmpty { throw InputError(source: source, problem: "no assert over Y (nothing to verify)") }
        inputCount = xs.count
        outputCount = ys.count
        if !lower.isEmpty || !upper.isEmpty {
            var lo = [Double](), hi = [Double]()
            for i in 0..<xs.count {
                guard let l = lower[i], let u = upper[i] else {
                    throw InputError(source: source, problem: "X_\(i) needs both a lower and an upper bound")
                }
                guard l <= u else { throw InputError(source: source, problem: "X_\(i) has lower bound \(l) > upper bound \(u)") }
                lo.append(l); hi.append(u)
            }
            inputLower = lo
            inputUpper = hi
        }
        property = Self.negate(.all(unsafe))
    }

    /// not(F) in and/or form, atoms negated (c.y <= d becomes -c.y < -d and vice versa).
    static func negate(_ f: PropertyFormula) -> PropertyFormula {
        switch f {
        case .all(let fs): return .any(fs.map(negate))
        case .any(let fs): return .all(fs.map(negate))
        case .atom(.linear(let terms, let bound, let strict)):
            return .atom(.linear(terms: terms.map { LinearTerm(index: $0.index, coefficient: -$0.coefficient) }, bound: -bound, strict: !strict))
        case .atom: return f
        }
    }

    // MARK: Parsing

    indirect enum SExpr {
        case symbol(String, Int)
        case list([SExpr], Int)
        var line: Int { switch self { case .symbol(_, let l), .list(_, let l): return l } }
    }

    struct ParsedAtom {
        var terms: [LinearTerm]  // index into X or Y, by kind
        var bound: Double
        var strict: Bool
        var kinds: Set<String>
    }

    indirect enum ParsedFormula {
        case atom(ParsedAtom)
        case all([ParsedFormula])
        case any([ParsedFormula])
        var variables: [(String, Int)] {
            switch self {
            case .atom(let a): return a.kinds.flatMap { k in a.terms.map { (k, $0.index) } }
            case .all(let fs), .any(let fs): return fs.flatMap { $0.variables }
            }
        }
        var formula: PropertyFormula {
            switch self {
            case .atom(let a): return .atom(.linear(terms: a.terms, bound: a.bound, strict: a.strict))
            case .all(let fs): return .all(fs.map(\.formula))
            case .any(let fs): return .any(fs.map(\.formula))
            }
        }
    }

    struct Parser {
        let chars: [Character]
        let source: String
        var pos = 0
        var line = 1
        var used: [(String, Int)] = []

        init(text: String, source: String) {
            chars = Array(text)
            self.source = source
        }

        mutating func skip() {
            while pos < chars.count {
                let c = chars[pos]
                if c == ";" { while pos < chars.count && chars[pos] != "\n" { pos += 1 } }
                else if c.isWhitespace { if c == "\n" { line += 1 }; pos += 1 }
                else { break }
            }
        }

        mutating func next() throws(InputError) -> SExpr? {
            skip()
            if pos >= chars.count { return nil }
            return try expr()
        }

        mutating func expr() throws(InputError) -> SExpr {
            skip()
            guard pos < chars.count else { throw InputError(source: source, location: "line \(line)", problem: "unexpected end of file") }
            let startLine = line
            if chars[pos] == "(" {
                pos += 1
                var items: [SExpr] = []
                while true {
                    skip()
                    guard pos < chars.count else { throw InputError(source: source, location: "line \(startLine)", problem: "unbalanced parenthesis") }
                    if chars[pos] == ")" { pos += 1; break }
                    items.append(try expr())
                }
                return .list(items, startLine)
            }
            if chars[pos] == ")" { throw InputError(source: source, location: "line \(line)", problem: "unexpected )") }
            var s = ""
            while pos < chars.count, !chars[pos].isWhitespace, chars[pos] != "(", chars[pos] != ")", chars[pos] != ";" {
                s.append(chars[pos]); pos += 1
            }
            return .symbol(s, startLine)
        }

        static func variable(_ name: String, line: Int, source: String) throws(InputError) -> (String, Int) {
            let parts = name.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, parts[0] == "X" || parts[0] == "Y", let i = Int(parts[1]), i >= 0 else {
                throw InputError(source: source, location: "line \(line)", problem: "unknown variable \(name) (expected X_i or Y_j)")
            }
            return (String(parts[0]), i)
        }

        /// A linear expression: coefficients per (kind, index) and a constant.
        mutating func linear(_ e: SExpr) throws(InputError) -> (terms: [String: [Int: Double]], constant: Double) {
            switch e {
            case .symbol(let s, let line):
                if let v = Double(s) {
                    guard v.isFinite else { throw InputError(source: source, location: "line \(line)", problem: "\(s) is not a finite number") }
                    return ([:], v)
                }
                let (k, i) = try Self.variable(s, line: line, source: source)
                used.append((k, i))
                return ([k: [i: 1]], 0)
            case .list(let items, let line):
                guard case .symbol(let op, _)? = items.first, items.count >= 2 else {
                    throw InputError(source: source, location: "line \(line)", problem: "expected an expression")
                }
                var parts: [([String: [Int: Double]], Double)] = []
                for x in items.dropFirst() { parts.append(try linear(x)) }
                func scaled(_ p: ([String: [Int: Double]], Double), _ f: Double) -> ([String: [Int: Double]], Double) {
                    (p.0.mapValues { $0.mapValues { $0 * f } }, p.1 * f)
                }
                func sum(_ ps: [([String: [Int: Double]], Double)]) -> ([String: [Int: Double]], Double) {
                    var t: [String: [Int: Double]] = [:], c = 0.0
                    for p in ps {
                        c += p.1
                        for (k, m) in p.0 { for (i, v) in m { t[k, default: [:]][i, default: 0] += v } }
                    }
                    return (t, c)
                }
                switch op {
                case "+": return sum(parts)
                case "-":
                    if parts.count == 1 { return scaled(parts[0], -1) }
                    return sum([parts[0]] + parts.dropFirst().map { scaled($0, -1) })
                case "*":
                    guard parts.count == 2 else { break }
                    if parts[0].0.isEmpty { return scaled(parts[1], parts[0].1) }
                    if parts[1].0.isEmpty { return scaled(parts[0], parts[1].1) }
                    throw InputError(source: source, location: "line \(line)", problem: "product of two variables is not linear")
                default: break
                }
                throw InputError(source: source, location: "line \(line)", problem: "unsupported expression (\(op) ...)")
            }
        }

        mutating func formula(_ e: SExpr, depth: Int) throws(InputError) -> ParsedFormula {
            guard case .list(let items, let line) = e, case .symbol(let op, _)? = items.first else {
                throw InputError(source: source, location: "line \(e.line)", problem: "expected a formula (<= a b), (and ..) or (or ..)")
            }
            switch op {
            case "and", "or":
                guard depth < 2 else { throw InputError(source: source, location: "line \(line)", problem: "nesting deeper than or-of-and is not supported") }
                guard items.count >= 2 else { throw InputError(source: source, location: "line \(line)", problem: "(\(op)) needs operands") }
                var fs: [ParsedFormula] = []
                for x in items.dropFirst() { fs.append(try formula(x, depth: depth + 1)) }
                return op == "and" ? .all(fs) : .any(fs)
            case "<=", ">=", "<", ">":
                guard items.count == 3 else { throw InputError(source: source, location: "line \(line)", problem: "(\(op) a b) takes two operands") }
                let a = try linear(items[1]), b = try linear(items[2])
                // lhs - rhs <= 0 for <=, rhs - lhs <= 0 for >=.
                let (pos, neg) = (op == "<=" || op == "<") ? (a, b) : (b, a)
                var t: [String: [Int: Double]] = pos.terms
                for (k, m) in neg.terms { for (i, v) in m { t[k, default: [:]][i, default: 0] -= v } }
                let kinds = Set(t.filter { !$0.value.isEmpty }.keys)
                guard kinds.count <= 1 else {
                    throw InputError(source: source, location: "line \(line)", problem: "an atom mixes X and Y variables")
                }
                guard let kind = kinds.first else {
                    throw InputError(source: source, location: "line \(line)", problem: "an atom without variables")
                }
                let terms = t[kind]!.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { LinearTerm(index: $0.key, coefficient: $0.value) }
                return .atom(ParsedAtom(terms: terms, bound: neg.constant - pos.constant, strict: op == "<" || op == ">", kinds: [kind]))
            default:
                throw InputError(source: source, location: "line \(line)", problem: "unsupported formula (\(op) ...)")
            }
        }
    }
}
