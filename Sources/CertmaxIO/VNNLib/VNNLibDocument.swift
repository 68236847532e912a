import CertmaxNumerics
import Foundation

/// Which variables an atom constrains: VNN-LIB `X_i` (network inputs) or `Y_j` (outputs).
public enum VNNLibVariableKind: Sendable, Equatable {
    case input
    case output
}

/// An atom of a VNN-LIB formula: a linear constraint over X variables only or over Y
/// variables only.
public struct VNNLibAtom: Sendable, Equatable {
    public var kind: VNNLibVariableKind
    public var constraint: VNNLibConstraint
}

/// A VNN-LIB formula as written (before normalisation to disjunctive normal form).
public indirect enum VNNLibFormula: Sendable, Equatable {
    case atom(VNNLibAtom)
    case and([VNNLibFormula], line: Int)
    case or([VNNLibFormula], line: Int)

    /// The line where the formula starts.
    public var line: Int {
        switch self {
        case .atom(let a): return a.constraint.line
        case .and(_, let line), .or(_, let line): return line
        }
    }

    /// Whether some atom of the formula has the given kind.
    public func mentions(_ kind: VNNLibVariableKind) -> Bool {
        switch self {
        case .atom(let a): return a.kind == kind
        case .and(let fs, _), .or(let fs, _): return fs.contains { $0.mentions(kind) }
        }
    }
}

/// A VNN-LIB file, parsed: the declared variables and the asserted formulas, in order.
///
/// This is the project's one VNN-LIB reader (a byte-level recursive-descent parser);
/// `VNNLibSpecification` normalises a document to disjunctive normal form for
/// VNN-COMP instances and the attention-block spec reads it too.
///
/// Accepted: comments (`;` to end of line); `(declare-const X_i Real)` and
/// `(declare-const Y_j Real)`; `(assert F)` where F is `(and F ...)`, `(or F ...)` (any
/// nesting up to 64 levels) or an atom `(<= a b)`, `(>= a b)`, `(< a b)`, `(> a b)` over
/// linear expressions: decimal numbers (`-0.25`, `1e-3`, `.5`), variables, `(+ e ...)`,
/// `(- e)`, `(- e e ...)` and `(* e ...)` with at most one non-constant factor.
///
/// Edge Cases (each an `InputError` naming the file and line): a repeated declaration,
/// an undeclared variable, declarations with gaps (`X_0`, `X_2`), a type other than
/// `Real`, a name other than `X_i`/`Y_j` (no leading zeros), a non-decimal literal
/// (hex, `inf`, `nan`, rationals), a literal that overflows, a product of variables, an
/// atom mixing X and Y or without variables, `(and)`/`(or)` without operands, a command
/// other than declare-const/assert, unbalanced parentheses, a gzip file (decompress it
/// first), bytes that are not text.
/// Postconditions: X indices are exactly `0..<inputCount`, Y indices `0..<outputCount`,
/// every atom's terms refer to declared variables.
public struct VNNLibDocument: Sendable {
    /// The file name used in error messages.
    public var source: String
    public var inputCount: Int
    public var outputCount: Int
    /// The asserted formulas in file order (their conjunction is the property's
    /// unsafe set together with the input constraints).
    public var asserts: [VNNLibFormula]

    /// Parses VNN-LIB text.
    public init(text: String, source: String) throws(InputError) {
        var t = text
        self = try t.withUTF8 { Self.parse($0, source: source) }.get()
    }

    /// Parses VNN-LIB bytes (UTF-8 / ASCII).
    public init(data: Data, source: String) throws(InputError) {
        self = try data.withUnsafeBytes { Self.parse($0.bindMemory(to: UInt8.self), source: source) }.get()
    }

    /// Parses the file at `path` (read through `readInputFile`; `-` is standard input).
    public init(path: String) throws(InputError) {
        let (data, source) = try readInputFile(path)
        try self.init(data: data, source: source)
    }

    /// The kind and index of a variable name `X_i` / `Y_j` (decimal index, no sign,
    /// no leading zeros, below 10^9); nil for any other name.
    public static func variable(named name: String) -> (kind: VNNLibVariableKind, index: Int)? {
        VNNLibReader.variable(name).map { (kind: $0.0, index: $0.1) }
    }

    init(source: String, inputCount: Int, outputCount: Int, asserts: [VNNLibFormula]) {
        self.source = source
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.asserts = asserts
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, source: String) -> Result<VNNLibDocument, InputError> {
        var p = VNNLibReader(bytes: bytes, source: source)
        do {
            try p.parseFile()
        } catch {
            return .failure(error)
        }
        return .success(VNNLibDocument(source: source, inputCount: p.declaredX.count, outputCount: p.declaredY.count, asserts: p.asserts))
    }
}

/// The recursive-descent reader behind `VNNLibDocument` (bytes in, formulas out).
struct VNNLibReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let source: String
    var pos = 0
    var line = 1
    /// Lines of the currently open parentheses (innermost last).
    var open: [Int] = []
    var declaredX: [Int: Int] = [:]
    var declaredY: [Int: Int] = [:]
    var used: [(kind: VNNLibVariableKind, index: Int, line: Int)] = []
    var asserts: [VNNLibFormula] = []

    static let maxDepth = 64

    init(bytes: UnsafeBufferPointer<UInt8>, source: String) {
        self.bytes = bytes
        self.source = source
    }

    func error(_ problem: String, line: Int? = nil) -> InputError {
        InputError(source: source, location: "line \(line ?? self.line)", problem: problem)
    }

    mutating func parseFile() throws(InputError) {
        if bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b {
            throw InputError(source: source, problem: "is gzip-compressed; decompress it first (gzip -dk)")
        }
        while true {
            skipSpace()
            if pos >= bytes.count { break }
            let commandLine = line
            guard bytes[pos] == UInt8(ascii: "(") else {
                throw error("expected a (command ...)")
            }
            try openParen()
            let head = try symbol()
            switch head {
            case "declare-const":
                let nameLine = line
                let name = try symbol()
                let type = try symbol()
                guard let (kind, index) = Self.variable(name) else {
                    throw error("unknown variable \(name) (expected X_i or Y_j)", line: nameLine)
                }
                guard type == "Real" else {
                    throw error("expected (declare-const X_i Real) or (declare-const Y_j Real)", line: commandLine)
                }
                try closeParen("expected (declare-const X_i Real) or (declare-const Y_j Real)")
                if kind == .input {
                    if let first = declaredX[index] { throw error("X_\(index) is declared twice (first on line \(first))", line: nameLine) }
                    declaredX[index] = nameLine
                } else {
                    if let first = declaredY[index] { throw error("Y_\(index) is declared twice (first on line \(first))", line: nameLine) }
                    declaredY[index] = nameLine
                }
            case "assert":
                let f = try formula(depth: 0)
                try closeParen("assert takes one formula")
                asserts.append(f)
            default:
                throw error("unsupported command \(head) (only declare-const and assert)", line: commandLine)
            }
        }
        for (name, declared) in [("X", declaredX), ("Y", declaredY)] where !declared.isEmpty {
            if declared.count != declared.keys.max()! + 1 {
                let missing = (0..<declared.count).first { declared[$0] == nil }!
                throw InputError(source: source, problem: "\(name) variables must be declared as \(name)_0..\(name)_\(declared.count - 1) without gaps (\(name)_\(missing) is missing)")
            }
        }
        for u in used {
            let known = u.kind == .input ? declaredX[u.index] != nil : declaredY[u.index] != nil
            if !known {
                throw error("\(u.kind == .input ? "X" : "Y")_\(u.index) is used but not declared", line: u.line)
            }
        }
    }

    // MARK: Lexing

    @inline(__always) static func isDelimiter(_ c: UInt8) -> Bool {
        c == 40 || c == 41 || c == 59 || c == 32 || c == 10 || c == 9 || c == 13 || c == 12 || c == 11
    }

    /// Skips whitespace and comments, counting lines.
    mutating func skipSpace() {
        while pos < bytes.count {
            let c = bytes[pos]
            if c == 10 { line += 1; pos += 1 }
            else if c == 32 || c == 9 || c == 13 || c == 12 || c == 11 { pos += 1 }
            else if c == 59 {  // ;
                while pos < bytes.count, bytes[pos] != 10 { pos += 1 }
            } else { break }
        }
    }

    /// Throws the error for an unexpected end of file: an unbalanced parenthesis,
    /// located at the innermost open one.
    func endOfFile() -> InputError {
        if let l = open.last { return error("unbalanced parenthesis", line: l) }
        return error("unexpected end of file")
    }

    mutating func openParen() throws(InputError) {
        skipSpace()
        guard pos < bytes.count else { throw endOfFile() }
        guard bytes[pos] == 40 else { throw error("expected (") }
        open.append(line)
        pos += 1
    }

    /// Consumes `)` or throws `problem` (or the unbalanced-parenthesis error at EOF).
    mutating func closeParen(_ problem: String) throws(InputError) {
        skipSpace()
        guard pos < bytes.count else { throw endOfFile() }
        guard bytes[pos] == 41 else { throw error(problem, line: open.last) }
        open.removeLast()
        pos += 1
    }

    /// Whether the next token is `)` (without consuming it).
    mutating func atClose() throws(InputError) -> Bool {
        skipSpace()
        guard pos < bytes.count else { throw endOfFile() }
        return bytes[pos] == 41
    }

    /// The byte range of the next symbol (a maximal run of non-delimiters).
    mutating func symbolRange() throws(InputError) -> Range<Int> {
        skipSpace()
        guard pos < bytes.count else { throw endOfFile() }
        let c = bytes[pos]
        if c == 40 { throw error("expected a name or a number, found (") }
        if c == 41 { throw error("unexpected )") }
        let start = pos
        while pos < bytes.count, !Self.isDelimiter(bytes[pos]) { pos += 1 }
        return start..<pos
    }

    mutating func symbol() throws(InputError) -> String {
        let r = try symbolRange()
        return text(r)
    }

    func text(_ r: Range<Int>) -> String {
        let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self)
        // Keep error messages one short line even for hostile input.
        return s.count > 40 ? String(s.prefix(40)) + "..." : s
    }

    /// `X_i` / `Y_j` with a decimal index without sign or leading zeros, below 10^9.
    static func variable(_ name: String) -> (VNNLibVariableKind, Int)? {
        let u = Array(name.utf8)
        guard u.count >= 3, u.count <= 11, u[1] == UInt8(ascii: "_"), u[0] == UInt8(ascii: "X") || u[0] == UInt8(ascii: "Y") else { return nil }
        var index = 0
        for c in u[2...] {
            guard c >= 48, c <= 57 else { return nil }
            index = index * 10 + Int(c - 48)
        }
        if u.count > 3 && u[2] == 48 { return nil }  // leading zero
        return (u[0] == UInt8(ascii: "X") ? .input : .output, index)
    }

    // MARK: Formulas

    mutating func formula(depth: Int) throws(InputError) -> VNNLibFormula {
        skipSpace()
        guard pos < bytes.count else { throw endOfFile() }
        guard bytes[pos] == 40 else { throw error("expected a formula (<= a b), (and ..) or (or ..)") }
        guard depth < Self.maxDepth else { throw error("formulas nested deeper than \(Self.maxDepth) levels") }
        let start = line
        try openParen()
        let op = try symbol()
        switch op {
        case "and", "or":
            var fs: [VNNLibFormula] = []
            while try !atClose() { fs.append(try formula(depth: depth + 1)) }
            guard !fs.isEmpty else { throw error("(\(op)) needs operands", line: start) }
            try closeParen("unexpected")
            return op == "and" ? .and(fs, line: start) : .or(fs, line: start)
        case "<=", ">=", "<", ">":
            let a = try expression(depth: depth + 1)
            let b = try expression(depth: depth + 1)
            try closeParen("(\(op) a b) takes two operands")
            return .atom(try atom(op: op, a, b, line: start))
        default:
            throw error("unsupported formula (\(op) ...)", line: start)
        }
    }

    /// A linear expression: terms (kind, index, coefficient), possibly repeated, and a
    /// constant.
    struct Linear {
        var terms: [(kind: VNNLibVariableKind, index: Int, coefficient: VNNLibNumber)] = []
        var constant = VNNLibNumber.zero

        func scaled(_ f: VNNLibNumber) -> Linear {
            Linear(terms: terms.map { ($0.kind, $0.index, $0.coefficient * f) }, constant: constant * f)
        }
        static func + (a: Linear, b: Linear) -> Linear {
            Linear(terms: a.terms + b.terms, constant: a.constant + b.constant)
        }
    }

    mutating func expression(depth: Int) throws(InputError) -> Linear {
        skipSpace()
        guard pos < bytes.count else { throw endOfFile() }
        let here = line
        if bytes[pos] != 40 {
            let r = try symbolRange()
            let c = bytes[r.lowerBound]
            let looksNumeric = (c >= 48 && c <= 57) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
            if looksNumeric {
                guard let n = VNNLibNumber.parseDecimal(bytes, r.lowerBound, r.upperBound) else {
                    throw error("\(text(r)) is not a decimal number (hex, rationals, inf and nan are not accepted)", line: here)
                }
                guard n.value.isFinite else { throw error("\(text(r)) is not a finite number", line: here) }
                return Linear(terms: [], constant: n)
            }
            let name = text(r)
            guard let (kind, index) = Self.variable(name) else {
                throw error("unknown variable \(name) (expected X_i or Y_j)", line: here)
            }
            used.append((kind, index, here))
            return Linear(terms: [(kind, index, .one)], constant: .zero)
        }
        guard depth < Self.maxDepth else { throw error("expressions nested deeper than \(Self.maxDepth) levels") }
        try openParen()
        let op = try symbol()
        var parts: [Linear] = []
        while try !atClose() { parts.append(try expression(depth: depth + 1)) }
        guard !parts.isEmpty else { throw error("expected an expression", line: here) }
        try closeParen("unexpected")
        switch op {
        case "+":
            return parts.dropFirst().reduce(parts[0], +)
        case "-":
            let minusOne = -VNNLibNumber.one
            if parts.count == 1 { return parts[0].scaled(minusOne) }
            return parts.dropFirst().reduce(parts[0]) { $0 + $1.scaled(minusOne) }
        case "*":
            var result = Linear(terms: [], constant: .one)
            var variable: Linear? = nil
            for p in parts {
                if p.terms.isEmpty { result.constant = result.constant * p.constant; continue }
                guard variable == nil else { throw error("product of two variables is not linear", line: here) }
                variable = p
            }
            if let v = variable { return v.scaled(result.constant) }
            return result
        default:
            throw error("unsupported expression (\(op) ...) (only +, - and * by a number)", line: here)
        }
    }

    /// Moves `a op b` to the form `sum c_k V_k <= bound` (or `<`).
    func atom(op: String, _ a: Linear, _ b: Linear, line: Int) throws(InputError) -> VNNLibAtom {
        // a <= b  <=>  a - b <= 0  <=>  (a.terms - b.terms) <= b.const - a.const
        let (pos, neg) = (op == "<=" || op == "<") ? (a, b) : (b, a)
        var all = pos.terms
        all.reserveCapacity(pos.terms.count + neg.terms.count)
        for t in neg.terms { all.append((t.kind, t.index, -t.coefficient)) }
        let hasX = all.contains { $0.kind == .input }, hasY = all.contains { $0.kind == .output }
        guard !(hasX && hasY) else { throw error("an atom mixes X and Y variables", line: line) }
        if all.count > 1 {
            // By variable, keeping file order within one (pos terms, then neg terms).
            let order = all.indices.sorted { (all[$0].index, $0) < (all[$1].index, $1) }
            all = order.map { all[$0] }
        }
        var terms: [VNNLibTerm] = []
        terms.reserveCapacity(all.count)
        var k = 0
        while k < all.count {
            // Sum the coefficients of one variable in file order (pos before neg), from 0
            // like the old parser did.
            var c = VNNLibNumber.zero
            let index = all[k].index
            while k < all.count, all[k].index == index { c = c + all[k].coefficient; k += 1 }
            if c.enclosure.isPoint && c.enclosure.lower == 0 { continue }
            terms.append(VNNLibTerm(index: index, coefficient: c.value, coefficientEnclosure: c.enclosure))
        }
        guard !terms.isEmpty else { throw error("an atom without variables", line: line) }
        let kind: VNNLibVariableKind = hasX ? .input : .output
        let bound = neg.constant - pos.constant
        guard bound.value.isFinite, bound.enclosure.isBounded,
              terms.allSatisfy({ $0.coefficient.isFinite && $0.coefficientEnclosure.isBounded }) else {
            throw error("a coefficient or constant overflows", line: line)
        }
        return VNNLibAtom(kind: kind,
                          constraint: VNNLibConstraint(terms: terms, bound: bound.value, boundEnclosure: bound.enclosure,
                                                       strict: op == "<" || op == ">", line: line))
    }
}
