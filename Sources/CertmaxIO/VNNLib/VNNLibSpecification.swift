import CertmaxNumerics
import Foundation

/// One disjunct of a VNN-LIB property in disjunctive normal form: an input box and a
/// conjunction of linear output constraints. An input `x` in the box whose outputs `y`
/// satisfy every constraint violates the property.
public struct VNNLibDisjunct: Sendable, Equatable {
    public var input: VNNLibInputBox
    /// Constraints `sum_k c_k * Y_k <= b` (or `<`), all of which must hold (may be empty:
    /// then every input of the box is a counterexample).
    public var constraints: [VNNLibConstraint]

    public init(input: VNNLibInputBox, constraints: [VNNLibConstraint]) {
        self.input = input
        self.constraints = constraints
    }

    /// True only if bounds on the outputs over this disjunct's box prove it empty: some
    /// constraint fails for every output vector in `outputBounds` (indexed by Y).
    ///
    /// Edge Cases: an empty conjunction is never refuted; a short or unbounded
    /// `outputBounds` refutes nothing it does not bound.
    /// Postconditions: if every output reachable from the box lies in `outputBounds`
    /// and this returns true, no input of the box satisfies the disjunct.
    public func isRefuted(byOutputBounds outputBounds: [Interval]) -> Bool {
        constraints.contains { $0.certainlyFails(over: outputBounds) }
    }
}

/// A VNN-COMP property: the *unsafe* set as a disjunction of (input box, output
/// constraints) pairs. `unsat` means no input of any disjunct's box yields outputs
/// satisfying all of that disjunct's constraints; `sat` needs one that does.
///
/// Built from a `VNNLibDocument` by normalising the conjunction of the asserts to
/// disjunctive normal form. The three forms VNN-COMP writes are all covered:
/// X bounds as top-level asserts plus one `(assert (or (and Y...) ...))` (ViT, most
/// benchmarks); several top-level Y asserts (one disjunct); and
/// `(assert (or (and X-bounds... Y-constraints...) ...))` with a box per disjunct
/// (acasxu). Any other and/or nesting works as long as the normal form has at most
/// `maxDisjuncts` disjuncts.
///
/// Edge Cases (each an `InputError` naming the file, and the line where there is one):
/// no X or no Y declared; a constraint on X that is not a bound of one X variable by a
/// number (`(<= X_0 0.5)`, `(>= (- X_0) -1)`); a strict bound on X (a counterexample on
/// the boundary would lie outside the open box); an X without a lower or an upper bound
/// in some disjunct; lower > upper; no constraint on Y anywhere; more than
/// `maxDisjuncts` disjuncts.
/// Postconditions: `disjuncts` is non-empty; every disjunct's box has `inputCount`
/// finite coordinates; every constraint's terms index `0..<outputCount`. Disjuncts
/// appear in file order (for a product of `or`s, the first `or` varies slowest).
public struct VNNLibSpecification: Sendable {
    /// The file name used in messages.
    public var source: String
    public var inputCount: Int
    public var outputCount: Int
    public var disjuncts: [VNNLibDisjunct]

    /// The largest disjunctive normal form accepted.
    public static let maxDisjuncts = 100_000

    public init(source: String, inputCount: Int, outputCount: Int, disjuncts: [VNNLibDisjunct]) {
        self.source = source
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.disjuncts = disjuncts
    }

    /// The distinct input boxes with the disjuncts over each, in order of first use
    /// (ViT properties: one box, nine disjuncts), so a bound engine propagates each box
    /// once and then checks every disjunct over it.
    /// Postconditions: every disjunct index appears exactly once.
    public func disjunctsByInputBox() -> [(input: VNNLibInputBox, disjuncts: [Int])] {
        var groups: [(input: VNNLibInputBox, disjuncts: [Int])] = []
        for (n, d) in disjuncts.enumerated() {
            if let g = groups.firstIndex(where: { $0.input == d.input }) { groups[g].disjuncts.append(n) }
            else { groups.append((d.input, [n])) }
        }
        return groups
    }

    /// Parses and normalises the file at `path` (read through `readInputFile`).
    public init(path: String) throws(InputError) {
        try self.init(document: VNNLibDocument(path: path))
    }

    /// Parses and normalises VNN-LIB bytes.
    public init(data: Data, source: String) throws(InputError) {
        try self.init(document: VNNLibDocument(data: data, source: source))
    }

    /// Parses and normalises VNN-LIB text.
    public init(text: String, source: String) throws(InputError) {
        try self.init(document: VNNLibDocument(text: text, source: source))
    }

    /// Normalises a parsed document.
    public init(document doc: VNNLibDocument) throws(InputError) {
        let source = doc.source
        guard doc.inputCount > 0 else { throw InputError(source: source, problem: "no X variables declared") }
        guard doc.outputCount > 0 else { throw InputError(source: source, problem: "no Y variables declared") }
        guard doc.asserts.contains(where: { $0.mentions(.output) }) else {
            throw InputError(source: source, problem: "no assert over Y (nothing to verify)")
        }
        // Asserts whose normal form is one conjunction apply to every disjunct; the
        // others multiply out.
        var common: [VNNLibAtom] = []
        var branches: [[VNNLibAtom]] = [[]]
        for f in doc.asserts {
            let d = try Self.normalForm(f, source: source)
            if d.count == 1 { common += d[0]; continue }
            guard branches.count * d.count <= Self.maxDisjuncts else {
                throw InputError(source: source, location: "line \(f.line)",
                                 problem: "more than \(Self.maxDisjuncts) disjuncts in disjunctive normal form")
            }
            var next: [[VNNLibAtom]] = []
            next.reserveCapacity(branches.count * d.count)
            for b in branches { for c in d { next.append(b + c) } }
            branches = next
        }
        var base = BoxBuilder(count: doc.inputCount)
        var commonOutputs: [VNNLibConstraint] = []
        for a in common {
            if a.kind == .input { try base.apply(a.constraint, source: source) } else { commonOutputs.append(a.constraint) }
        }
        let baseBox = branches.contains(where: { $0.isEmpty || $0.allSatisfy { $0.kind == .output } })
            ? try base.box(source: source, disjunct: nil) : nil
        var disjuncts: [VNNLibDisjunct] = []
        disjuncts.reserveCapacity(branches.count)
        for (n, b) in branches.enumerated() {
            var outputs = commonOutputs
            var builder: BoxBuilder? = nil
            for a in b {
                if a.kind == .output { outputs.append(a.constraint); continue }
                if builder == nil { builder = base }
                try builder!.apply(a.constraint, source: source)
            }
            let box = try builder?.box(source: source, disjunct: branches.count > 1 ? n : nil) ?? baseBox!
            disjuncts.append(VNNLibDisjunct(input: box, constraints: outputs))
        }
        self.init(source: source, inputCount: doc.inputCount, outputCount: doc.outputCount, disjuncts: disjuncts)
    }

    /// The disjunctive normal form of a formula: a list of conjunctions of atoms.
    static func normalForm(_ f: VNNLibFormula, source: String) throws(InputError) -> [[VNNLibAtom]] {
        switch f {
        case .atom(let a): return [[a]]
        case .or(let fs, let line):
            var out: [[VNNLibAtom]] = []
            for g in fs {
                out += try normalForm(g, source: source)
                guard out.count <= maxDisjuncts else {
                    throw InputError(source: source, location: "line \(line)", problem: "more than \(maxDisjuncts) disjuncts in disjunctive normal form")
                }
            }
            return out
        case .and(let fs, let line):
            var out: [[VNNLibAtom]] = [[]]
            for g in fs {
                let d = try normalForm(g, source: source)
                guard out.count * d.count <= maxDisjuncts else {
                    throw InputError(source: source, location: "line \(line)", problem: "more than \(maxDisjuncts) disjuncts in disjunctive normal form")
                }
                if d.count == 1 {
                    for k in out.indices { out[k] += d[0] }
                } else {
                    var next: [[VNNLibAtom]] = []
                    for a in out { for b in d { next.append(a + b) } }
                    out = next
                }
            }
            return out
        }
    }

    /// Accumulates X bounds into a box (outer and inner, see `VNNLibInputBox`).
    struct BoxBuilder {
        var lower: [Double], upper: [Double], innerLower: [Double], innerUpper: [Double]
        var nearestLower: [Double], nearestUpper: [Double]

        init(count: Int) {
            lower = Array(repeating: -.infinity, count: count)
            upper = Array(repeating: .infinity, count: count)
            innerLower = lower; innerUpper = upper
            nearestLower = lower; nearestUpper = upper
        }

        mutating func apply(_ c: VNNLibConstraint, source: String) throws(InputError) {
            guard c.terms.count == 1, c.terms[0].coefficientEnclosure.isPoint,
                  abs(c.terms[0].coefficient) == 1 else {
                throw InputError(source: source, location: "line \(c.line)",
                                 problem: "constraints on X must bound one X variable by a number, e.g. (<= X_0 0.5)")
            }
            let i = c.terms[0].index
            if c.strict {
                // The closed box would be a sound superset for verification, but a
                // counterexample found on its boundary would lie outside the open
                // region and make a `sat` verdict wrong: refuse instead.
                throw InputError(source: source, location: "line \(c.line)",
                                 problem: "strict bound on X_\(i) is not supported (a counterexample on the boundary would lie outside the region); use <= or >=")
            }
            let b = c.boundEnclosure
            if c.terms[0].coefficient == 1 {          // X_i <= b
                upper[i] = Swift.min(upper[i], b.upper)
                innerUpper[i] = Swift.min(innerUpper[i], b.lower)
                nearestUpper[i] = Swift.min(nearestUpper[i], c.bound)
            } else {                                   // -X_i <= b, X_i >= -b
                lower[i] = Swift.max(lower[i], -b.upper)
                innerLower[i] = Swift.max(innerLower[i], -b.lower)
                nearestLower[i] = Swift.max(nearestLower[i], -c.bound)
            }
        }

        func box(source: String, disjunct: Int?) throws(InputError) -> VNNLibInputBox {
            let whereText = disjunct.map { " in disjunct \($0)" } ?? ""
            for i in 0..<lower.count {
                guard lower[i].isFinite, upper[i].isFinite else {
                    throw InputError(source: source, problem: "X_\(i) needs both a lower and an upper bound\(whereText)")
                }
                guard nearestLower[i] <= nearestUpper[i] else {
                    throw InputError(source: source, problem: "X_\(i) has lower bound \(nearestLower[i]) > upper bound \(nearestUpper[i])\(whereText)")
                }
            }
            return VNNLibInputBox(lower: lower, upper: upper, innerLower: innerLower, innerUpper: innerUpper)
        }
    }
}
