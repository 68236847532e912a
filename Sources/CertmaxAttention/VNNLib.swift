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

    /// Parses VNN-LIB text with the project's VNN-LIB reader (`VNNLibDocument`) and
    /// interprets it for an attention layer. Errors name `source`, the line and the
    /// problem.
    ///
    /// Edge Cases: besides the reader's errors, an assert on X must be one bound of one
    /// X variable by a number (strict bounds are refused), X and Y may not share an
    /// assert, and Y asserts nest at most as or-of-and. Numbers are used rounded to
    /// nearest, as before (the VNN-COMP path, `VNNLibSpecification`, keeps enclosures).
    public init(text: String, source: String) throws(InputError) {
        let doc = try VNNLibDocument(text: text, source: source)
        var lower: [Int: Double] = [:], upper: [Int: Double] = [:]
        var unsafe: [PropertyFormula] = []
        for f in doc.asserts {
            if f.mentions(.input) {
                guard !f.mentions(.output), case .atom(let a) = f, a.constraint.terms.count == 1,
                      a.constraint.terms[0].coefficient == 1 || a.constraint.terms[0].coefficient == -1 else {
                    throw InputError(source: source, location: "line \(f.line)", problem: "asserts on X must bound one X variable by a number, e.g. (<= X_0 0.5)")
                }
                let c = a.constraint
                let idx = c.terms[0].index
                if c.strict {
                    // The closed box would be a sound superset for verification, but a
                    // counterexample found on its boundary would lie outside the open
                    // region and make a `violated` verdict wrong: refuse instead.
                    throw InputError(source: source, location: "line \(c.line)",
                                     problem: "strict bound on X_\(idx) is not supported (a counterexample on the boundary would lie outside the region); use <= or >=")
                }
                if c.terms[0].coefficient == 1 { upper[idx] = Swift.min(upper[idx] ?? .infinity, c.bound) }
                else { lower[idx] = Swift.max(lower[idx] ?? -.infinity, -c.bound) }
            } else {
                try Self.checkDepth(f, depth: 0, source: source)
                unsafe.append(Self.formula(f))
            }
        }
        if unsafe.isEmpty { throw InputError(source: source, problem: "no assert over Y (nothing to verify)") }
        inputCount = doc.inputCount
        outputCount = doc.outputCount
        if !lower.isEmpty || !upper.isEmpty {
            var lo = [Double](), hi = [Double]()
            for i in 0..<doc.inputCount {
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

    /// The spec format allows and/or nested at most as or-of-and.
    static func checkDepth(_ f: VNNLibFormula, depth: Int, source: String) throws(InputError) {
        switch f {
        case .atom: return
        case .and(let fs, let line), .or(let fs, let line):
            guard depth < 2 else { throw InputError(source: source, location: "line \(line)", problem: "nesting deeper than or-of-and is not supported") }
            for g in fs { try checkDepth(g, depth: depth + 1, source: source) }
        }
    }

    /// The formula with nearest-rounded coefficients (zero ones dropped).
    static func formula(_ f: VNNLibFormula) -> PropertyFormula {
        switch f {
        case .atom(let a):
            let c = a.constraint
            return .atom(.linear(terms: c.terms.filter { $0.coefficient != 0 }.map { LinearTerm(index: $0.index, coefficient: $0.coefficient) },
                                 bound: c.bound, strict: c.strict))
        case .and(let fs, _): return .all(fs.map(formula))
        case .or(let fs, _): return .any(fs.map(formula))
        }
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
}
