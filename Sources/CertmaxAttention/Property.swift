import CertmaxNumerics

/// One term c * y[index] of a linear output property; `index` is into the flattened
/// [T, d_out] output, row-major (index = token * d_out + dim).
public struct LinearTerm: Sendable, Equatable {
    public var index: Int
    public var coefficient: Double
    public init(index: Int, coefficient: Double) { self.index = index; self.coefficient = coefficient }
}

/// An elementary property of an attention layer's output or attention weights.
public enum PropertyAtom: Sendable, Equatable {
    /// sum_k terms[k].coefficient * y[terms[k].index] <= bound (< bound if strict).
    case linear(terms: [LinearTerm], bound: Double, strict: Bool)
    /// The attention weight of head `head`, query `query` on key `key` is >= threshold.
    case attentionAtLeast(head: Int, query: Int, key: Int, threshold: Double)
    /// Key `key` has the strictly largest attention weight of (head, query).
    case attentionArgmax(head: Int, query: Int, key: Int)
}

/// A property: atoms combined with "and" / "or" (the spec format allows a conjunction
/// or one level of disjunction of conjunctions; VNN-LIB properties are negated into
/// this form).
public indirect enum PropertyFormula: Sendable, Equatable {
    case atom(PropertyAtom)
    case all([PropertyFormula])
    case any([PropertyFormula])

    /// Number of atoms.
    public var atomCount: Int {
        switch self {
        case .atom: return 1
        case .all(let fs), .any(let fs): return fs.reduce(0) { $0 + $1.atomCount }
        }
    }

    /// Every atom, in order.
    public var atoms: [PropertyAtom] {
        switch self {
        case .atom(let a): return [a]
        case .all(let fs), .any(let fs): return fs.flatMap { $0.atoms }
        }
    }
}

/// Three-valued truth of a property over a set of inputs.
public enum Truth: String, Sendable {
    /// Holds for every input in the set (proved).
    case holds
    /// Fails for every input in the set (proved).
    case fails
    /// Not decided by the bounds.
    case undecided
}

/// The result of evaluating a property with sound bounds: the truth and an enclosure
/// of its margin (>= 0 means the property holds). Margins: linear atom d - c.y;
/// attentionAtLeast p - threshold; attentionArgmax min_j (s_key - s_j) (score units);
/// "all" takes the minimum, "any" the maximum.
public struct PropertyEvaluation: Sendable {
    public var truth: Truth
    public var margin: Interval
    public init(truth: Truth, margin: Interval) { self.truth = truth; self.margin = margin }
}

extension PropertyFormula {
    /// Evaluates the formula with the bounds of a propagation. Sound: `holds` only if
    /// the property holds for every input of the propagation's region; `fails` only if
    /// it fails for every input; the margin interval encloses the exact margin at every
    /// input of the region.
    public func evaluate(with bounds: AttentionBoundPropagation) -> PropertyEvaluation {
        switch self {
        case .atom(let a): return a.evaluate(with: bounds)
        case .all(let fs):
            let evals = fs.map { $0.evaluate(with: bounds) }
            let truth: Truth = evals.contains { $0.truth == .fails } ? .fails
                : (evals.allSatisfy { $0.truth == .holds } ? .holds : .undecided)
            let lo = evals.map(\.margin.lower).min() ?? .infinity
            let hi = evals.map(\.margin.upper).min() ?? .infinity
            return PropertyEvaluation(truth: truth, margin: Interval(uncheckedLower: lo, upper: hi))
        case .any(let fs):
            let evals = fs.map { $0.evaluate(with: bounds) }
            let truth: Truth = evals.contains { $0.truth == .holds } ? .holds
                : (evals.allSatisfy { $0.truth == .fails } ? .fails : .undecided)
            let lo = evals.map(\.margin.lower).max() ?? -.infinity
            let hi = evals.map(\.margin.upper).max() ?? -.infinity
            return PropertyEvaluation(truth: truth, margin: Interval(uncheckedLower: lo, upper: hi))
        }
    }

    /// The margin at one concrete output in plain floating point (for the falsifier's
    /// search only; never used as a verdict).
    func approximateMargin(output y: Matrix, weights: [Matrix]) -> Double {
        switch self {
        case .atom(let a): return a.approximateMargin(output: y, weights: weights)
        case .all(let fs): return fs.map { $0.approximateMargin(output: y, weights: weights) }.min() ?? .infinity
        case .any(let fs): return fs.map { $0.approximateMargin(output: y, weights: weights) }.max() ?? -.infinity
        }
    }
}

extension PropertyAtom {
    public func evaluate(with b: AttentionBoundPropagation) -> PropertyEvaluation {
        switch self {
        case .linear(let terms, let bound, let strict):
            let value = b.linearBound(terms.map { ($0.index, $0.coefficient) })
            let margin = Interval(bound) - value
            let holds = strict ? margin.lower > 0 : margin.lower >= 0
            let fails = strict ? margin.upper <= 0 : margin.upper < 0
            return PropertyEvaluation(truth: holds ? .holds : (fails ? .fails : .undecided), margin: margin)
        case .attentionAtLeast(let h, let i, let k, let theta):
            let p = b.probabilities[h][i][k]
            let margin = p - Interval(theta)
            return PropertyEvaluation(truth: margin.lower >= 0 ? .holds : (margin.upper < 0 ? .fails : .undecided), margin: margin)
        case .attentionArgmax(let h, let i, let k):
            var lo = Double.infinity, hi = Double.infinity
            for j in 0..<b.region.tokens where j != k {
                lo = Swift.min(lo, b.scoreDifferenceLower(head: h, query: i, key: k, other: j))
                hi = Swift.min(hi, Double.subUp(b.scoreUpper[h][i][k], b.scoreLower[h][i][j]))
            }
            return PropertyEvaluation(truth: lo > 0 ? .holds : (hi <= 0 ? .fails : .undecided),
                                      margin: Interval(uncheckedLower: lo, upper: hi))
        }
    }

    func approximateMargin(output y: Matrix, weights: [Matrix]) -> Double {
        switch self {
        case .linear(let terms, let bound, _):
            var s = 0.0
            for t in terms { s += t.coefficient * y.data[t.index] }
            return bound - s
        case .attentionAtLeast(let h, let i, let k, let theta):
            return weights[h][i, k] - theta
        case .attentionArgmax(let h, let i, let k):
            let p = weights[h]
            var m = Double.infinity
            for j in 0..<p.cols where j != k { m = Swift.min(m, Foundation.log(p[i, k]) - Foundation.log(p[i, j])) }
            return m
        }
    }
}

import Foundation
